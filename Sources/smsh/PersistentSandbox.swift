#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMSClient
import SMSConfig
import SMSSimulator
import SMSState

/// The persistent `--sandbox` account (`$XDG_STATE_HOME/smsh/sandbox/`): opened only when a
/// sandbox request is first made (start-up of `smsh -e ''` never touches it), created from
/// the settings (`--sandbox-credit`, `--sandbox-seed`, a profile's `sandbox_credit` and
/// `sandbox_seed`) on first use, and started over by `smsh sandbox reset`. Specs and
/// fixtures (`smsh test`, `--record`, `--replay`) keep an in-memory sandbox that starts
/// empty: `SMSH_SANDBOX_STATE=memory` asks for that too.
enum PersistentSandbox {
    static let ephemeralVariable = "SMSH_SANDBOX_STATE"

    static func isEphemeral(_ env: Environment) -> Bool { env[ephemeralVariable] == "memory" }

    static func directory(_ env: Environment = .process) -> String {
        SandboxStore.defaultDirectory(environment: { env[$0] })
    }

    static func newAccount(credit: Double, seed: UInt64, now: Double = Date().timeIntervalSince1970) -> SandboxStore.Account {
        SandboxStore.Account(seed: seed, uuidSeed: UInt64.random(in: 0...UInt64.max), startingCredit: credit, balance: credit,
                             nextMessageNumber: 1, virtualTime: now.rounded(.down), savedAt: now)
    }

    /// The store and its account (created from `config` when there is none). A
    /// `--sandbox-credit` or `--sandbox-seed` flag that differs from the existing account's is
    /// warned of (the account keeps its own: `smsh sandbox reset` applies new ones).
    static func open(config: EffectiveConfig, environment env: Environment, warn: (String) -> Void) throws
        -> (SandboxStore, SandboxStore.Account) {
        let store = try SandboxStore(directory: directory(env))
        let account: SandboxStore.Account = try store.transaction {
            if let existing = try store.account() { return existing }
            let fresh = newAccount(credit: config.sandboxCredit.value, seed: config.sandboxSeed.value)
            try store.save(fresh)
            return fresh
        }
        if case .flag = config.sandboxCredit.source, config.sandboxCredit.value != account.startingCredit {
            warn("--sandbox-credit \(formatted(config.sandboxCredit.value)) does not apply: the sandbox account exists (started with "
                 + "\(formatted(account.startingCredit)), now \(formatted(account.balance))); "
                 + "`smsh sandbox reset --credit \(formatted(config.sandboxCredit.value))` starts it over with it")
        }
        if case .flag = config.sandboxSeed.source, config.sandboxSeed.value != account.seed {
            warn("--sandbox-seed \(config.sandboxSeed.value) does not apply: the sandbox account exists with seed \(account.seed); "
                 + "`smsh sandbox reset --seed \(config.sandboxSeed.value)` starts it over with it")
        }
        return (store, account)
    }

    /// The in-process transport on the persistent account. The session's virtual clock
    /// moves to the sandbox clock (where the last run left it, plus the real time since).
    static func transport(simulator base: SimulatorConfig, config: EffectiveConfig, environment env: Environment,
                          clock: SMSClock) throws -> Transport {
        let (store, account) = try open(config: config, environment: env, warn: { StderrMessages.warning($0) })
        var simulator = base
        simulator.seed = account.seed
        simulator.uuidSeed = account.uuidSeed
        simulator.startingCredit = account.startingCredit
        simulator.startsEmptyEveryRun = false
        if let virtual = clock as? VirtualClock {
            let shared = account.clock(atReal: Date().timeIntervalSince1970)
            if shared > virtual.now() { virtual.set(to: shared) }
        }
        let engine = SimulatorEngine(config: simulator, clock: clock)
        engine.persistence = SandboxPersistence(store: store)
        return SimulatorTransport(engine: engine)
    }

    static func formatted(_ credits: Double) -> String {
        credits == credits.rounded() && abs(credits) < 1e15 ? String(Int64(credits)) : String(credits)
    }
}

/// The state store's SQLite sandbox is the simulator's `SandboxStorage`: one transaction a
/// request, an exclusive lock on the file across processes.
extension SandboxStore: SandboxStorage {}
