import FakeTelegram
import Foundation
import Testing
@testable import Telegram

/// Every method and parameter the client can send exists in the Bot API 10.1 specification
/// (`../shared/telegram-bot-api/api.json`) with a compatible type, and required ones are sent.
@Suite("Bot API specification")
struct TelegramSpecificationTests {
    struct Specification: Decodable {
        struct Method: Decodable {
            struct Field: Decodable {
                let name: String
                let types: [String]
                let required: Bool
            }
            let fields: [Field]?
        }
        let version: String
        let methods: [String: Method]
    }

    static func load() throws -> Specification {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.deletingLastPathComponent().appendingPathComponent("shared/telegram-bot-api/api.json")
        guard let data = try? Data(contentsOf: file) else {
            Issue.record("the Bot API specification is missing at \(file.path): this test cannot check anything without it")
            throw CancellationError()
        }
        return try JSONDecoder().decode(Specification.self, from: data)
    }

    static let keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(text: "Beli", callbackData: "1:ok")]])

    /// Each method with every optional parameter set, as JSON objects, plus uploaded file fields.
    static func samples() throws -> [(name: String, parameters: [String: JSONNode], files: [String])] {
        func encode<M: TelegramMethod>(_ method: M) throws -> (String, [String: JSONNode], [String]) {
            let object = try JSONDecoder().decode([String: JSONNode].self, from: JSONEncoder().encode(method))
            return (M.name, object, method.upload.map { [$0.field] } ?? [])
        }
        return [
            try encode(GetMe()),
            try encode(DeleteWebhook(dropPendingUpdates: true)),
            try encode(GetUpdates(offset: 5, limit: 100, timeout: 30, allowedUpdates: ["message", "callback_query"])),
            try encode(SendMessage(chatID: 1, text: "x", parseMode: "HTML", replyMarkup: keyboard, disableNotification: true)),
            try encode(EditMessageText(chatID: 1, messageID: 2, text: "x", parseMode: "HTML", replyMarkup: keyboard)),
            try encode(EditMessageReplyMarkup(chatID: 1, messageID: 2, replyMarkup: keyboard)),
            try encode(AnswerCallbackQuery(callbackQueryID: "q", text: "ok", showAlert: true, cacheTime: 0)),
            try encode(SendPhoto(chatID: 1, png: [0x89], caption: "c", parseMode: "HTML", replyMarkup: keyboard)),
            try encode(SetMyCommands(commands: [BotCommand(command: "saldo", description: "Cek saldo")], languageCode: "id")),
            try encode(SendChatAction(chatID: 1, action: "typing")),
        ].map { (name: $0.0, parameters: $0.1, files: $0.2) }
    }

    static func compatible(_ value: JSONNode, with types: [String]) -> Bool {
        types.contains { type in
            switch (type, value) {
            case ("Integer", .integer), ("Float", .integer), ("Float", .number), ("String", .string), ("Boolean", .bool): return true
            case (let type, .array): return type.hasPrefix("Array of")
            case (let type, .object): return type.first?.isUppercase == true && !["Integer", "String", "Boolean", "Float"].contains(type)
            default: return false
            }
        }
    }

    @Test func everyParameterExistsWithACompatibleType() throws {
        let specification = try Self.load()
        #expect(specification.version.contains("10.1"))
        for sample in try Self.samples() {
            let method = try #require(specification.methods[sample.name], "\(sample.name) is not in the specification")
            let fields = Dictionary(uniqueKeysWithValues: (method.fields ?? []).map { ($0.name, $0) })
            for (name, value) in sample.parameters {
                let field = try #require(fields[name], "\(sample.name).\(name) is not in the specification")
                #expect(Self.compatible(value, with: field.types), "\(sample.name).\(name): \(value) vs \(field.types)")
            }
            for name in sample.files {
                let field = try #require(fields[name], "\(sample.name).\(name) is not in the specification")
                #expect(field.types.contains("InputFile"), "\(sample.name).\(name) is uploaded but is not an InputFile")
            }
            let sent = Set(sample.parameters.keys).union(sample.files)
            for field in method.fields ?? [] where field.required {
                #expect(sent.contains(field.name), "\(sample.name) does not send required \(field.name)")
            }
        }
    }

    @Test func requiredParametersAreAlwaysSentEvenWithOptionalsLeftOut() throws {
        let specification = try Self.load()
        let minimal: [(String, [String: JSONNode], [String])] = [
            (SendMessage.name, try JSONDecoder().decode([String: JSONNode].self, from: JSONEncoder().encode(
                SendMessage(chatID: 1, text: "x", parseMode: nil))), []),
            (AnswerCallbackQuery.name, try JSONDecoder().decode([String: JSONNode].self, from: JSONEncoder().encode(
                AnswerCallbackQuery(callbackQueryID: "q"))), []),
            (SendPhoto.name, try JSONDecoder().decode([String: JSONNode].self, from: JSONEncoder().encode(
                SendPhoto(chatID: 1, png: [1], caption: nil, parseMode: nil))), ["photo"]),
        ]
        for (name, parameters, files) in minimal {
            for field in specification.methods[name]?.fields ?? [] where field.required {
                #expect(parameters[field.name] != nil || files.contains(field.name), "\(name) without optionals lacks \(field.name)")
            }
        }
    }

    @Test func theFakeServerKnowsTheSameRequiredParameters() throws {
        let specification = try Self.load()
        for (name, required) in FakeBotAPI.requiredParameters {
            let fields = specification.methods[name]?.fields ?? []
            #expect(Set(required) == Set(fields.filter(\.required).map(\.name)), "\(name)")
        }
    }
}
