/// One directed road link as the TNTP network file describes it.
///
/// Node numbers are the file's (1-based). Travel time follows the BPR function
/// `t(v) = freeFlowTime · (1 + b · (v / capacity)^power)` (see ``VolumeDelay``); the generalized cost adds
/// `tollFactor · toll + distanceFactor · length`, with factors chosen per network (see ``Network``).
/// As read, units are the file's (Sioux Falls: times in 0.01 h); a model's links are converted to minutes and km at
/// load (``NetworkUnits``). Capacities are vehicles per hour, tolls money per vehicle.
public struct Link: Sendable, Hashable {
    public var from: Int
    public var to: Int
    public var capacity: Double
    public var length: Double
    public var freeFlowTime: Double
    public var b: Double
    public var power: Double
    /// Speed limit; carried through but not used by the published solutions (or by us).
    public var speed: Double
    public var toll: Double
    public var linkType: Int

    public init(
        from: Int, to: Int, capacity: Double, length: Double, freeFlowTime: Double, b: Double = 0.15,
        power: Double = 4, speed: Double = 0, toll: Double = 0, linkType: Int = 1
    ) {
        self.from = from
        self.to = to
        self.capacity = capacity
        self.length = length
        self.freeFlowTime = freeFlowTime
        self.b = b
        self.power = power
        self.speed = speed
        self.toll = toll
        self.linkType = linkType
    }

    /// True when the link's time does not depend on its volume (`b = 0` or `power = 0`): then
    /// `t = freeFlowTime · (1 + b)` whatever the flow, and capacity plays no part.
    public var hasConstantTime: Bool { b == 0 || power == 0 }
}
