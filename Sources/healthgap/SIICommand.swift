import ArgumentParser

/// `healthgap sii`: slope and relative index of inequality (filled in when the method lands).
struct SIICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sii", abstract: "Slope and relative index of inequality.")
}
