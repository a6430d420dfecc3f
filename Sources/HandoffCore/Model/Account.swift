/// A company that leads work at.
public struct Account: Sendable, Hashable, Codable {
    public var id: Int64?
    public var name: String
    public var domain: String?
    public var industry: String?
    public var employees: Int?
    public var revenueBand: String?
    public var country: String?

    public init(
        id: Int64? = nil, name: String, domain: String? = nil, industry: String? = nil,
        employees: Int? = nil, revenueBand: String? = nil, country: String? = nil
    ) {
        self.id = id
        self.name = name
        self.domain = domain
        self.industry = industry
        self.employees = employees
        self.revenueBand = revenueBand
        self.country = country
    }
}
