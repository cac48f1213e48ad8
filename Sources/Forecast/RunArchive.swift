import CityTwinCore
public import Foundation
import GRDB
public import Scenario

/// The run archive: an embedded SQLite database (by default `runs/archive.sqlite`) holding every run's
/// manifest, forecast statistics, alerts, events, trigger shares and — compactly — the member-level
/// values that comparisons and verification need.
///
/// Tables (one row per …):
/// - `run`: run (id, name, version, model, members, horizon, manifest JSON, alerts JSON, row counts);
/// - `forecast`: forecast row, in the order forecast.csv lists them (so the CSV is exported byte for byte),
///   `part` 0; district rows (districts.csv) are `part` 1;
/// - `alert`, `event`, `trigger_share`: alert report, each member's intervention events, trigger share and median first year;
/// - `member_series`: archived (variable, region) with its unit, kind, direction and aggregation;
/// - `member_value`: (variable, region, year) with the members' values as one BLOB of little-endian
///   IEEE-754 Float64s (8 bytes a member; NaN kept);
/// - `verification`: score of a run against an observed value set (see ``ForecastVerification``).
///
/// Consistency: the database is in WAL mode and a run is written in one transaction, so a process
/// killed at any moment leaves the archive as it was before the run or with the run complete — SQLite
/// rolls back an uncommitted WAL tail when it next opens the file. `synchronous = NORMAL` keeps every
/// committed run across a process crash (only an operating-system crash can lose the latest commits,
/// never consistency). ``check()`` verifies both: `PRAGMA integrity_check` and each run's row counts.
public final class RunArchive: Sendable {
    public let path: String
    private let pool: DatabasePool

    /// A run as `runs list` shows it.
    public struct Summary: Sendable, Hashable {
        public let id: String
        public let name: String
        public let version: Int
        public let model: String
        public let members: Int
        public let startYear: Int
        public let endYear: Int
        public let createdAt: String
        public let forecastRows: Int
        public let levelRows: Int
        public let memberSeries: Int
    }

    /// One archived (variable, region) with member values.
    public struct Series: Sendable, Hashable {
        public let variable: String
        public let region: String
        public let unit: String
        /// `stock` or `flow`.
        public let kind: String
        /// `higher`, `lower` or `neither`.
        public let better: String
        public let aggregation: String
    }

    /// Everything a run writes, ready to archive in one transaction.
    public struct Record: Sendable {
        public let id: String
        public let name: String
        public let model: String
        public let members: Int
        public let startYear: Int
        public let endYear: Int
        /// The manifest, given the version the run gets.
        public let manifest: @Sendable (Int) throws -> Data
        public let table: ForecastTable
        /// District rows (districts.csv), when the model has districts.
        public let levels: ForecastTable?
        public let alertsJSON: Data?
        public let alerts: [AlertReport]
        public let events: [InterventionEvent]
        public let triggers: [TriggerSummary]
        public let series: [Series]
        /// `values[s][t]` are the members' values of `series[s]` in the labelled year `years[s][t]`.
        public let years: [[Double]]
        public let values: [[[Double]]]
        /// The members' end state (`end-state.json`), from which a later run may continue.
        public let endState: Data?

        public init(
            id: String, name: String, model: String, members: Int, startYear: Int, endYear: Int,
            manifest: @escaping @Sendable (Int) throws -> Data,
            table: ForecastTable, levels: ForecastTable? = nil, alertsJSON: Data?, alerts: [AlertReport],
            events: [InterventionEvent], triggers: [TriggerSummary],
            series: [Series], years: [[Double]], values: [[[Double]]], endState: Data? = nil
        ) {
            precondition(series.count == values.count, "one value list per archived series")
            self.id = id
            self.name = name
            self.model = model
            self.members = members
            self.startYear = startYear
            self.endYear = endYear
            self.manifest = manifest
            self.table = table
            self.levels = levels
            self.alertsJSON = alertsJSON
            self.alerts = alerts
            self.events = events
            self.triggers = triggers
            self.series = series
            self.years = years
            self.values = values
            self.endState = endState
        }
    }

    public enum ArchiveError: Error, CustomStringConvertible {
        case unknownRun(String)
        case ambiguous(String, [String])

        public var description: String {
            switch self {
            case .unknownRun(let reference): "no run `\(reference)` in the archive (see `citytwin runs list`)"
            case .ambiguous(let reference, let ids): "`\(reference)` matches several runs: \(ids.joined(separator: ", "))"
            }
        }
    }

    /// Opens (creating if needed) the archive at `path`.
    public init(path: String) throws {
        self.path = path
        let directory = CityTwinCore.directory(of: path)
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        var configuration = Configuration()
        // Other processes may write (two runs at once): wait for their transaction rather than fail.
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE run (
                        id TEXT PRIMARY KEY, name TEXT NOT NULL, version INTEGER NOT NULL, model TEXT NOT NULL,
                        members INTEGER NOT NULL, start_year INTEGER NOT NULL, end_year INTEGER NOT NULL,
                        created_at TEXT NOT NULL, forecast_rows INTEGER NOT NULL, level_rows INTEGER NOT NULL,
                        member_series INTEGER NOT NULL,
                        member_values INTEGER NOT NULL, manifest BLOB NOT NULL, alerts_json BLOB,
                        UNIQUE (name, version));
                    CREATE TABLE forecast (
                        run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, ordinal INTEGER NOT NULL,
                        part INTEGER NOT NULL, region TEXT NOT NULL, variable TEXT NOT NULL, unit TEXT NOT NULL, year REAL NOT NULL,
                        statistic TEXT NOT NULL, value REAL, PRIMARY KEY (run_id, ordinal)) WITHOUT ROWID;
                    CREATE INDEX forecast_variable ON forecast(run_id, variable, region);
                    CREATE TABLE alert (
                        run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, ordinal INTEGER NOT NULL,
                        name TEXT NOT NULL, probability_within REAL NOT NULL, first_year REAL, threshold REAL NOT NULL,
                        report BLOB NOT NULL, PRIMARY KEY (run_id, ordinal));
                    CREATE TABLE event (
                        run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, ordinal INTEGER NOT NULL,
                        name TEXT NOT NULL, year REAL NOT NULL, action TEXT NOT NULL, PRIMARY KEY (run_id, ordinal));
                    CREATE TABLE trigger_share (
                        run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, ordinal INTEGER NOT NULL,
                        name TEXT NOT NULL, share REAL NOT NULL, PRIMARY KEY (run_id, ordinal));
                    CREATE TABLE member_series (
                        run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, ordinal INTEGER NOT NULL,
                        variable TEXT NOT NULL, region TEXT NOT NULL, unit TEXT NOT NULL, kind TEXT NOT NULL,
                        better TEXT NOT NULL, aggregation TEXT NOT NULL, PRIMARY KEY (run_id, variable, region));
                    CREATE TABLE member_value (
                        run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, variable TEXT NOT NULL,
                        region TEXT NOT NULL, year REAL NOT NULL, members BLOB NOT NULL,
                        PRIMARY KEY (run_id, variable, region, year)) WITHOUT ROWID;
                    CREATE TABLE verification (
                        run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, observed TEXT NOT NULL,
                        variable TEXT NOT NULL, region TEXT NOT NULL, n INTEGER NOT NULL, crps REAL, coverage50 REAL,
                        coverage90 REAL, mae REAL NOT NULL, created_at TEXT NOT NULL,
                        PRIMARY KEY (run_id, observed, variable, region));
                    """)
        }
        migrator.registerMigration("v2: events of every member, triggers' median first year") { db in
            try db.execute(
                sql: """
                    ALTER TABLE event ADD COLUMN member INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE trigger_share ADD COLUMN median_first_year REAL;
                    """)
        }
        migrator.registerMigration("v3: end states") { db in
            try db.execute(
                sql: """
                    CREATE TABLE end_state (
                        run_id TEXT PRIMARY KEY REFERENCES run(id) ON DELETE CASCADE, state BLOB NOT NULL) WITHOUT ROWID;
                    """)
        }
        try migrator.migrate(pool)
    }

    /// Archive file beside the run folders: `<out>/archive.sqlite`.
    public static func defaultPath(out: String) -> String {
        URL(fileURLWithPath: out).appendingPathComponent("archive.sqlite").path
    }

    // MARK: Writing

    /// Stores a run in one transaction and returns the version it got (1 for a new name, else one more
    /// than the latest version of the name). A run already archived under the same id is left as is.
    /// - Parameter progress: called with (rows written, rows to write) every few thousand rows.
    @discardableResult
    public func store(_ record: Record, progress: ((Int, Int) -> Void)? = nil) throws -> Int {
        let levelRows = record.levels?.rows ?? []
        let total = record.table.rows.count + levelRows.count + record.years.map(\.count).reduce(0, +)
        return try pool.write { db -> Int in
            if let existing = try Int.fetchOne(db, sql: "SELECT version FROM run WHERE id = ?", arguments: [record.id]) {
                return existing
            }
            let version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM run WHERE name = ?", arguments: [record.name]) ?? 0) + 1
            let formatter = ISO8601DateFormatter()
            try db.execute(
                sql: """
                    INSERT INTO run (id, name, version, model, members, start_year, end_year, created_at, forecast_rows,
                                     level_rows, member_series, member_values, manifest, alerts_json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.id, record.name, version, record.model, record.members, record.startYear,
                    record.endYear, formatter.string(from: Date()), record.table.rows.count, levelRows.count,
                    record.series.count, record.years.map(\.count).reduce(0, +), try record.manifest(version),
                    record.alertsJSON,
                ])
            var written = 0
            func tick() {
                written += 1
                if written % 5000 == 0 { progress?(written, total) }
            }
            let row = try db.makeStatement(
                sql: """
                    INSERT INTO forecast (run_id, ordinal, part, region, variable, unit, year, statistic, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for (part, rows) in [record.table.rows, levelRows].enumerated() {
                let offset = part == 0 ? 0 : record.table.rows.count
                for (ordinal, r) in rows.enumerated() {
                    try row.execute(arguments: [
                        record.id, offset + ordinal, part, r.region, r.variable, r.unit, r.year, r.statistic,
                        r.value.isNaN ? nil : r.value,
                    ])
                    tick()
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            for (ordinal, alert) in record.alerts.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO alert (run_id, ordinal, name, probability_within, first_year, threshold, report) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        record.id, ordinal, alert.name, alert.probabilityWithin, alert.firstYear,
                        alert.probabilityAtLeast, try encoder.encode(alert),
                    ])
            }
            for (ordinal, event) in record.events.enumerated() {
                try db.execute(
                    sql: "INSERT INTO event (run_id, ordinal, member, name, year, action) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [record.id, ordinal, event.member, event.intervention, event.year, event.action])
            }
            for (ordinal, trigger) in record.triggers.enumerated() {
                try db.execute(
                    sql: "INSERT INTO trigger_share (run_id, ordinal, name, share, median_first_year) VALUES (?, ?, ?, ?, ?)",
                    arguments: [record.id, ordinal, trigger.intervention, trigger.share, trigger.medianFirstYear])
            }
            let value = try db.makeStatement(
                sql: "INSERT INTO member_value (run_id, variable, region, year, members) VALUES (?, ?, ?, ?, ?)")
            for (ordinal, series) in record.series.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO member_series (run_id, ordinal, variable, region, unit, kind, better, aggregation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        record.id, ordinal, series.variable, series.region, series.unit, series.kind,
                        series.better, series.aggregation,
                    ])
                for (t, year) in record.years[ordinal].enumerated() {
                    try value.execute(arguments: [
                        record.id, series.variable, series.region, year,
                        Self.blob(record.values[ordinal][t]),
                    ])
                    tick()
                }
            }
            if let state = record.endState {
                try db.execute(sql: "INSERT INTO end_state (run_id, state) VALUES (?, ?)", arguments: [record.id, state])
            }
            progress?(total, total)
            return version
        }
    }

    /// Deletes a run and everything archived with it; false if there was none.
    @discardableResult
    public func delete(_ id: String) throws -> Bool {
        try pool.write { db in
            for table in ["forecast", "alert", "event", "trigger_share", "member_series", "member_value", "verification", "end_state"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE run_id = ?", arguments: [id])
            }
            try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    // MARK: Reading

    /// Every run, by name then version.
    public func list() throws -> [Summary] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY name, version").map(Self.summary)
        }
    }

    public func summary(_ id: String) throws -> Summary? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).map(Self.summary) }
    }

    /// The id a reference names: an id, a unique id prefix (4 digits or more), a name (its latest
    /// version) or `name@vN`.
    public func resolve(_ reference: String) throws -> String {
        try pool.read { db in
            if let id = try String.fetchOne(db, sql: "SELECT id FROM run WHERE id = ?", arguments: [reference]) { return id }
            if let at = reference.range(of: "@v"), let version = Int(reference[at.upperBound...]) {
                let name = String(reference[..<at.lowerBound])
                if let id = try String.fetchOne(db, sql: "SELECT id FROM run WHERE name = ? AND version = ?", arguments: [name, version]) {
                    return id
                }
            }
            if let id = try String.fetchOne(
                db, sql: "SELECT id FROM run WHERE name = ? ORDER BY version DESC LIMIT 1", arguments: [reference])
            {
                return id
            }
            if reference.count >= 4 {
                let ids = try String.fetchAll(db, sql: "SELECT id FROM run WHERE id LIKE ? || '%'", arguments: [reference])
                if ids.count == 1 { return ids[0] }
                if ids.count > 1 { throw ArchiveError.ambiguous(reference, ids) }
            }
            throw ArchiveError.unknownRun(reference)
        }
    }

    public func manifest(_ id: String) throws -> Data {
        guard let data = try pool.read({ db in try Data.fetchOne(db, sql: "SELECT manifest FROM run WHERE id = ?", arguments: [id]) })
        else { throw ArchiveError.unknownRun(id) }
        return data
    }

    public func alerts(_ id: String) throws -> [AlertReport] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try pool.read { db in
            try Data.fetchAll(db, sql: "SELECT report FROM alert WHERE run_id = ? ORDER BY ordinal", arguments: [id])
        }.map { try decoder.decode(AlertReport.self, from: $0) }
    }

    /// Every member's intervention events, member by member (`member`: only that member's).
    public func events(_ id: String, member: Int? = nil) throws -> [InterventionEvent] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT member, name, year, action FROM event WHERE run_id = ? AND (? IS NULL OR member = ?) ORDER BY ordinal",
                arguments: [id, member, member]
            )
            .map { InterventionEvent(member: $0["member"], year: $0["year"], intervention: $0["name"], action: $0["action"]) }
        }
    }

    /// Each trigger's share of members and median first year (empty when the run had no trigger).
    public func triggers(_ id: String) throws -> [TriggerSummary] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT name, share, median_first_year FROM trigger_share WHERE run_id = ? ORDER BY ordinal", arguments: [id]
            )
            .map { TriggerSummary(intervention: $0["name"], share: $0["share"], medianFirstYear: $0["median_first_year"]) }
        }
    }

    /// The (variable, region) pairs with member values.
    public func series(_ id: String) throws -> [Series] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM member_series WHERE run_id = ? ORDER BY ordinal", arguments: [id]).map {
                Series(
                    variable: $0["variable"], region: $0["region"], unit: $0["unit"], kind: $0["kind"],
                    better: $0["better"], aggregation: $0["aggregation"])
            }
        }
    }

    /// The members' values of one series, year by year (only this series is read).
    public func memberValues(_ id: String, variable: String, region: String) throws -> [(year: Double, values: [Double])] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT year, members FROM member_value WHERE run_id = ? AND variable = ? AND region = ? ORDER BY year
                    """, arguments: [id, variable, region]
            ).map { (year: $0["year"], values: Self.doubles($0["members"])) }
        }
    }

    /// Forecast rows of one variable and region (every statistic), in the forecast's order.
    public func forecastRows(_ id: String, variable: String, region: String) throws -> [ForecastTable.Row] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM forecast WHERE run_id = ? AND variable = ? AND region = ? ORDER BY ordinal
                    """, arguments: [id, variable, region]
            ).map(Self.forecastRow)
        }
    }

    /// Forecast rows whose variable starts with `prefix` at one year and statistic (a map's values).
    public func forecastRows(_ id: String, variablePrefix prefix: String, year: Double, statistic: String) throws -> [ForecastTable.Row] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM forecast WHERE run_id = ? AND variable LIKE ? || '%' AND year = ? AND statistic = ? ORDER BY ordinal
                    """, arguments: [id, prefix, year, statistic]
            ).map(Self.forecastRow)
        }
    }

    /// District rows (part 1) at one year and statistic, in order.
    public func levelRows(_ id: String, year: Double, statistic: String) throws -> [ForecastTable.Row] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM forecast WHERE run_id = ? AND part = 1 AND year = ? AND statistic = ? ORDER BY ordinal
                    """, arguments: [id, year, statistic]
            ).map(Self.forecastRow)
        }
    }

    /// Streams the run's forecast rows in order, without holding them all: part 0 is forecast.csv,
    /// part 1 the district rows (districts.csv).
    public func eachForecastRow(_ id: String, part: Int = 0, _ body: (ForecastTable.Row) throws -> Void) throws {
        try pool.read { db in
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT * FROM forecast WHERE run_id = ? AND part = ? ORDER BY ordinal",
                arguments: [id, part])
            while let row = try cursor.next() { try body(Self.forecastRow(row)) }
        }
    }

    /// The run's forecast.csv, byte for byte as the run wrote it (part 1: districts.csv).
    public func forecastCSV(_ id: String, part: Int = 0) throws -> Data {
        guard let run = try summary(id) else { throw ArchiveError.unknownRun(id) }
        let manifest = try JSONSerialization.jsonObject(with: self.manifest(id)) as? [String: Any]
        let scenario = (manifest?["scenario"] as? [String: Any])?["name"] as? String ?? run.name
        var text = ForecastTable.header.joined(separator: ",") + "\n"
        let prefix = ForecastTable.prefix(model: run.model, scenario: scenario)
        try eachForecastRow(id, part: part) { ForecastTable.append($0, prefix: prefix, to: &text) }
        return Data(text.utf8)
    }

    /// Writes the run folder (forecast.csv, manifest.json, alerts.json and events.csv when there are
    /// any) from the archive, atomically.
    public func exportFolder(_ id: String, to destination: URL) throws {
        var files = [("forecast.csv", try forecastCSV(id)), ("manifest.json", try manifest(id))]
        if try summary(id)?.levelRows ?? 0 > 0 { files.append(("districts.csv", try forecastCSV(id, part: 1))) }
        if let alerts = try pool.read({ db in try Data.fetchOne(db, sql: "SELECT alerts_json FROM run WHERE id = ?", arguments: [id]) }) {
            files.append(("alerts.json", alerts))
        }
        let events = try events(id)
        if !events.isEmpty {
            var csv = "member,year,intervention,action\n"
            for event in events {
                csv +=
                    "\(event.member),\(ForecastTable.format(year: event.year)),\(ForecastTable.quoted(event.intervention)),\(event.action)\n"
            }
            files.append(("events.csv", Data(csv.utf8)))
        }
        if let state = try pool.read({ db in try Data.fetchOne(db, sql: "SELECT state FROM end_state WHERE run_id = ?", arguments: [id]) })
        {
            files.append(("end-state.json", state))
        }
        try RunFolderWriter.write(files, to: destination)
    }

    // MARK: Verification scores

    public func storeVerification(_ id: String, observed: String, scores: [VerificationScore]) throws {
        let now = ISO8601DateFormatter().string(from: Date())
        try pool.write { db in
            try db.execute(sql: "DELETE FROM verification WHERE run_id = ? AND observed = ?", arguments: [id, observed])
            for score in scores {
                try db.execute(
                    sql: """
                        INSERT INTO verification (run_id, observed, variable, region, n, crps, coverage50, coverage90, mae, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, observed, score.variable, score.region, score.count, score.crps, score.coverage50,
                        score.coverage90, score.meanAbsoluteError, now,
                    ])
            }
        }
    }

    public func verifications(_ id: String) throws -> [(observed: String, score: VerificationScore)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM verification WHERE run_id = ? ORDER BY observed, variable, region", arguments: [id])
                .map {
                    (
                        observed: $0["observed"],
                        score: VerificationScore(
                            variable: $0["variable"], region: $0["region"], count: $0["n"], crps: $0["crps"],
                            coverage50: $0["coverage50"], coverage90: $0["coverage90"], meanAbsoluteError: $0["mae"])
                    )
                }
        }
    }

    // MARK: Integrity

    /// Problems found: SQLite's integrity check, then every run whose parts do not add up to what its
    /// `run` row says (none is expected: each run is written in one transaction). Empty when sound.
    public func check() throws -> [String] {
        try pool.read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            for row in try Row.fetchAll(db, sql: "SELECT id, forecast_rows, level_rows, member_series, member_values FROM run") {
                let id: String = row["id"]
                let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM forecast WHERE run_id = ? AND part = 0", arguments: [id]) ?? 0
                let levels = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM forecast WHERE run_id = ? AND part = 1", arguments: [id]) ?? 0
                let series = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM member_series WHERE run_id = ?", arguments: [id]) ?? 0
                let values = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM member_value WHERE run_id = ?", arguments: [id]) ?? 0
                if rows != row["forecast_rows"] || levels != row["level_rows"] || series != row["member_series"]
                    || values != row["member_values"]
                {
                    problems.append("run \(id) is incomplete: \(rows) forecast rows, \(series) series, \(values) member rows")
                }
            }
            return problems
        }
    }

    // MARK: Encoding

    /// Little-endian Float64s.
    static func blob(_ values: [Double]) -> Data {
        var data = Data(count: values.count * 8)
        data.withUnsafeMutableBytes { buffer in
            for (i, value) in values.enumerated() {
                buffer.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self)
            }
        }
        return data
    }

    static func doubles(_ data: Data) -> [Double] {
        data.withUnsafeBytes { buffer in
            (0..<(buffer.count / 8)).map {
                Double(bitPattern: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)))
            }
        }
    }

    private static func summary(_ row: Row) -> Summary {
        Summary(
            id: row["id"], name: row["name"], version: row["version"], model: row["model"], members: row["members"],
            startYear: row["start_year"], endYear: row["end_year"], createdAt: row["created_at"],
            forecastRows: row["forecast_rows"], levelRows: row["level_rows"], memberSeries: row["member_series"])
    }

    private static func forecastRow(_ row: Row) -> ForecastTable.Row {
        ForecastTable.Row(
            region: row["region"], variable: row["variable"], unit: row["unit"], year: row["year"],
            statistic: row["statistic"], value: (row["value"] as Double?) ?? .nan)
    }
}
