import ArgumentParser
import CMalloc
import Conversation
import Dashboard
import Foundation
import Locales
import Logging
import Ledger
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
            let runtime = try await Self.openingRuntime(configuration, strings)
            let dashboard = try Dashboard(services: runtime.services, configuration: configuration)
            try await runtime.run(routes: dashboard.mount)
        } catch let error where Ledger.storageProblem(error) != nil {
            // Mid-run the bot waits for the disk itself; this is a failure outside that wait.
            // Waiting before the exit keeps systemd's restarts from becoming a tight loop.
            let problem = Ledger.storageProblem(error) ?? ""
            FileHandle.standardError.write(Data(("loket: the database cannot be written: \(problem) (\(configuration.databasePath)); "
                + "exiting with 75 in \(Self.storageExitDelay.components.seconds) s\n").utf8))
            try? await Task.sleep(for: Self.storageExitDelay)
            throw ExitCode(75)
        } catch let error as PollerStopped {
            // A wrong token or another instance polling: restarting will not fix it.
            FileHandle.standardError.write(Data("loket: \(error)\n".utf8))
            throw ExitCode(78)
        } catch {
            FileHandle.standardError.write(Data("loket: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// How long a run that stopped on an unwritable database waits before it exits with 75.
    static let storageExitDelay: Duration = .seconds(30)

    /// The runtime, once its database can be opened and migrated: while the disk is full or the
    /// file read-only, says so and tries again after a growing pause (5 s up to 5 minutes)
    /// instead of exiting into a restart loop.
    static func openingRuntime(_ configuration: LoketConfiguration, _ strings: LocaleStrings) async throws -> LoketRuntime {
        var pause: Duration = .seconds(5)
        while true {
            do {
                return try LoketRuntime(configuration: configuration, strings: strings)
            } catch let error where Ledger.storageProblem(error) != nil {
                let problem = Ledger.storageProblem(error) ?? ""
                FileHandle.standardError.write(Data(("loket: the database cannot be written: \(problem) (\(configuration.databasePath)); "
                    + "trying again in \(pause.components.seconds) s\n").utf8))
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(300))
            }
        }
    }
}
