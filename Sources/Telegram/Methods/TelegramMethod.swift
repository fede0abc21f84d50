/// A Bot API method: its name, its parameters (encoded as JSON, snake_case) and its result.
public protocol TelegramMethod: Encodable, Sendable {
    associatedtype Result: Decodable & Sendable
    /// The method name, e.g. `sendMessage`.
    static var name: String { get }
    /// A file to upload with the request (sent as multipart/form-data instead of JSON).
    var upload: FileUpload? { get }
}

extension TelegramMethod {
    public var upload: FileUpload? { nil }
}

/// A file sent as one part of a multipart request.
public struct FileUpload: Sendable, Equatable {
    /// The parameter name, e.g. `photo`.
    public var field: String
    public var filename: String
    public var contentType: String
    public var bytes: [UInt8]

    public init(field: String, filename: String, contentType: String, bytes: [UInt8]) {
        self.field = field
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// `True` or an edited `Message`: what the edit methods return.
public enum EditResult: Sendable, Equatable, Decodable {
    case edited(Message)
    case done

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let message = try? container.decode(Message.self) { self = .edited(message) } else {
            _ = try container.decode(Bool.self)
            self = .done
        }
    }
}
