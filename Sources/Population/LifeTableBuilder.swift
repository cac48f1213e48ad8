/// A life table's person-years L_x from central death rates m_x (one sex, n-year groups, open last).
///
///     q_x = n·m_x / (1 + (n − a_x)·m_x)   (at most 1),   l_{x+n} = l_x·(1 − q_x)
///     L_x = n·l_{x+n} + a_x·(l_x − l_{x+n}),   L_ω = T_ω = l_ω / m_ω (open group)
///
/// a_x = n/2 (deaths in mid-interval), except the first year of life in a single-year table, where
/// ₁a₀ follows Coale & Demeny's West model as Preston, Heuveline & Guillot (2001, Table 3.3) give it:
/// females 0.053 + 2.800·m₀ (0.35 when m₀ ≥ 0.107), males 0.045 + 2.684·m₀ (0.33 when m₀ ≥ 0.107).
/// In five-year tables the 0–4 group also takes n/2 (a simplification: the abridged table's separate
/// ₁a₀ and ₄a₁ need a 0 and a 1–4 group, which the projection does not have).
/// - Complexity: O(K).
public enum LifeTableBuilder {
    public static func personYears(rates m: [Double], interval: Int, radix: Double, female: Bool) -> [Double] {
        let n = Double(interval)
        var l = radix
        var lx: [Double] = []
        for x in 0..<(m.count - 1) {
            var a = n / 2
            if x == 0, interval == 1 {
                a = female ? (m[0] >= 0.107 ? 0.35 : 0.053 + 2.800 * m[0]) : (m[0] >= 0.107 ? 0.33 : 0.045 + 2.684 * m[0])
            }
            let q = min(1, n * m[x] / (1 + (n - a) * m[x]))
            let next = l * (1 - q)
            lx.append(n * next + a * (l - next))
            l = next
        }
        let open = m[m.count - 1]
        lx.append(open > 0 ? l / open : 0)
        return lx
    }
}
