import ArgumentParser

/// The `loket` command line.
@main
struct Loket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loket",
        abstract: "Loket: a Telegram PPOB shop for Indonesian resellers, on the Flowix API.",
        subcommands: [DemoCommand.self, RunCommand.self, CheckCommand.self, ExportCommand.self, QuarantineCommand.self, MigrateCommand.self,
                      SandboxCommand.self])
}
