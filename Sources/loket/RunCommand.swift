import ArgumentParser
import CMalloc
import Foundation
import Locales
import Logging
import LoketCore
import Telegram

/// `loket run`: the bot in production, configured from the environment.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the bot: Telegram long polling, the Flowix webhook server, sync and reconciliation.")

    func run() async throws {
        let configuration: LoketConfiguration
        let strings: LocaleStrings
        do {
            configuration = try LoketConfiguration.load()
            strings = try LocaleLoader.load(from: LocaleLoader.defaultDirectory())
        } catch {
            FileHandle.standardError.write(Data("loket: \(error)\n".utf8))
            throw ExitCode(78)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
            return handler
        }
        #if os(Linux)
        // Two malloc arenas instead of glibc's eight per core: the bot's threads mostly wait,
        // and fewer arenas hold less freed memory after a burst (BENCHMARKS.md).
        mallopt(M_ARENA_MAX, 2)
        #endif
        do {
            try await LoketRuntime(configuration: configuration, strings: strings).run()
        } catch let error as PollerStopped {
            // A wrong token or another instance polling: restarting will not fix it.
            FileHandle.standardError.write(Data("loket: \(error)\n".utf8))
            throw ExitCode(78)
        } catch {
            FileHandle.standardError.write(Data("loket: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

import Conversation
