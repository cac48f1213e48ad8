/// The calendar year a recorded value belongs to — the one convention every forecast row, alert,
/// comparison, observation and export uses.
///
/// The clock observes the city at instants t₀ = start, t₁ = start + Δ, …; tick k runs from tₖ to tₖ₊₁.
/// - A **flow** observed at tₖ₊₁ happened during tick k, and is labelled by the year the tick starts:
///   label = tₖ₊₁ − Δ. The births of 2020 (tick 2020.0 → 2021.0) are the 2020 row, and an intervention
///   `at: 2030`, which acts from the tick that starts on 1 January 2030, shows in the 2030 row.
/// - A **stock** is labelled by its instant, 1 January of the labelled year: label = tₖ. The initial state
///   is the base year's row.
///
/// A run with the horizon `start…end` therefore simulates every year start…end inclusive (its clock ends
/// one tick after `end`), so that each labelled year has both its stocks and its flows; the stocks of the
/// final instant (1 January of the year after `end`) are outside the horizon and not reported.
/// This matches the IAMC convention (a flow in a year column happened in that year) and the UN WPP one
/// (population at 1 January or mid-year of the labelled year; here 1 January).
public enum YearLabel {
    /// The label of a value of `kind` observed at `time`, on a clock of `tickYears` per tick.
    public static func label(of kind: IndicatorDescriptor.Kind, observedAt time: Double, tickYears: Double) -> Double {
        kind == .flow ? time - tickYears : time
    }

    /// The instant at which the value of `kind` labelled `year` is observed.
    public static func instant(of kind: IndicatorDescriptor.Kind, labelled year: Double, tickYears: Double) -> Double {
        kind == .flow ? year + tickYears : year
    }
}

extension Clock {
    /// The clock that simulates every labelled year `firstYear…lastYear` inclusive: it ends one period
    /// after `lastYear` (a tick of whole years, or one year of month ticks), so that the flows of
    /// `lastYear` are observed (see ``YearLabel``).
    public static func covering(firstYear: Int, lastYear: Int, tick: TickLength) -> Clock {
        Clock(startYear: firstYear, endYear: endInstant(lastYear: lastYear, tick: tick), tick: tick)
    }

    /// The year of the final instant of the clock covering `…lastYear`.
    public static func endInstant(lastYear: Int, tick: TickLength) -> Int {
        switch tick {
        case .years(let n): lastYear + n
        case .months: lastYear + 1
        }
    }

    /// Whether the labelled years `firstYear…lastYear` are a whole number of ticks, counting the last
    /// year's period.
    public static func coversWholeTicks(firstYear: Int, lastYear: Int, tick: TickLength) -> Bool {
        isWholeNumberOfTicks(startYear: firstYear, endYear: endInstant(lastYear: lastYear, tick: tick), tick: tick)
    }

    /// Whether `year` is a labelled year of this clock's run: an instant before the final one.
    public func labels(_ year: Double) -> Bool {
        let k = ((year - Double(startYear)) / tick.inYears).rounded()
        return k >= 0 && k < Double(tickCount) && abs(time(after: Int(k)) - year) < 1e-6
    }
}
