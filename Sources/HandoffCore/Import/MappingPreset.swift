/// Mappings for the CRM exports our users bring most often, built in so no file is needed.
public enum MappingPreset: String, Sendable, CaseIterable {
    case hubspot, salesforce

    /// Columns that identify an export of this kind.
    var signature: [String] {
        switch self {
        case .hubspot: ["Record ID", "Email", "Lifecycle Stage"]
        case .salesforce: ["Lead ID", "Company / Account", "Lead Status"]
        }
    }

    public var mapping: Mapping {
        // Both texts are covered by tests, so they always parse.
        var mapping = try! Mapping.parse(yaml, name: "\(rawValue) preset")
        mapping.name = "\(rawValue) preset"
        mapping.columnsOptional = true
        return mapping
    }

    /// HubSpot's contacts export ("Export contacts" → CSV, all properties).
    public var yaml: String {
        switch self {
        case .hubspot: #"""
kind: leads
fields:
  external_id: Record ID
  name: "{First Name} {Last Name}"
  email: Email
  title: Job Title
  source: Original Source
  owner: Contact owner
  created_at: Create Date
  stage: Lifecycle Stage
  company: Company Name
  domain: Company Domain Name
  industry: Industry
  employees: Number of Employees
  revenue_band: Annual Revenue
  country: Country/Region
values:
  stage:
    subscriber: inquiry
    lead: inquiry
    marketingqualifiedlead: mql
    marketing qualified lead: mql
    salesqualifiedlead: sql
    sales qualified lead: sql
    opportunity: opportunity
    customer: won
    evangelist: won
    other: inquiry
keep_other_columns: true
"""#
        case .salesforce: #"""
kind: leads
fields:
  external_id: Lead ID
  name: "{First Name} {Last Name}"
  email: Email
  title: Title
  source: Lead Source
  owner: Lead Owner
  created_at: Create Date
  stage: Lead Status
  company: Company / Account
  domain: Website
  industry: Industry
  employees: No. of Employees
  revenue_band: Annual Revenue
  country: Country
values:
  stage:
    open - not contacted: inquiry
    working - contacted: sal
    closed - converted: sql
    closed - not converted: disqualified
keep_other_columns: true
"""#
        }
    }
}
