// A plugin imports this module and no other of Handoff's (Package.swift gives a plugin no other
// dependency, and scripts/check-imports holds it to that). What it needs of the core is passed on
// here by name, one declaration at a time: the rest of HandoffCore (where files live, settings, the
// YAML and CSV readers, the classifier's parts, the store's import passes and counts) stays with
// the modules that host plugins. A name below that no plugin uses any more fails scripts/check-imports.

// The lead model.
@_exported public import struct HandoffCore.Account
@_exported public import struct HandoffCore.Lead
@_exported public import enum HandoffCore.Seniority
@_exported public import struct HandoffCore.QualificationFacts
@_exported public import enum HandoffCore.Stage
@_exported public import enum HandoffCore.Outcome
@_exported public import enum HandoffCore.StageRules
@_exported public import struct HandoffCore.StageTransition
@_exported public import enum HandoffCore.Trail
@_exported public import struct HandoffCore.Move
@_exported public import struct HandoffCore.Rejection
@_exported public import struct HandoffCore.ReasonCode
@_exported public import struct HandoffCore.Objection
@_exported public import struct HandoffCore.Brief

// The agreed definition, and judging leads by it.
@_exported public import struct HandoffCore.Definition
@_exported public import enum HandoffCore.DefinitionParser
@_exported public import enum HandoffCore.DefaultDefinition
@_exported public import struct HandoffCore.Theme
@_exported public import struct HandoffCore.Qualifier
@_exported public import struct HandoffCore.BulkScorer
@_exported public import struct HandoffCore.Verdict
@_exported public import struct HandoffCore.DefinitionReport
@_exported public import struct HandoffCore.GridBands
@_exported public import struct HandoffCore.LogisticRegression
@_exported public import struct HandoffCore.Criterion
@_exported public import enum HandoffCore.FieldPath
@_exported public import enum HandoffCore.Condition
@_exported public import struct HandoffCore.DefinitionRecord

// Objections: the classifier, its trackers, and what `objections other` groups.
@_exported public import struct HandoffCore.ThemeClassifier
@_exported public import struct HandoffCore.ThemeTrackers
@_exported public import struct HandoffCore.ThemeAnswer
@_exported public import enum HandoffCore.NewThemes

// Importing files.
@_exported public import struct HandoffCore.Importer
@_exported public import enum HandoffCore.ImportKind
@_exported public import struct HandoffCore.ImportSummary
@_exported public import struct HandoffCore.ImportBatch
@_exported public import enum HandoffCore.ImportRecord
@_exported public import struct HandoffCore.LeadRecord
@_exported public import struct HandoffCore.AccountRecord
@_exported public import struct HandoffCore.EventRecord
@_exported public import struct HandoffCore.ObjectionRecord
@_exported public import enum HandoffCore.LeadReference
@_exported public import struct HandoffCore.Mapping
@_exported public import enum HandoffCore.MappingPreset
@_exported public import struct HandoffCore.MappingKindMismatch

// The store, as a plugin asks it.
@_exported public import protocol HandoffCore.LeadStore
@_exported public import struct HandoffCore.LeadQuery
@_exported public import enum HandoffCore.LeadGrouping
@_exported public import struct HandoffCore.ObjectionCount
@_exported public import enum HandoffCore.ObjectionSegment

// Errors a plugin throws or answers.
@_exported public import protocol HandoffCore.HandoffError
@_exported public import struct HandoffCore.UsageError
@_exported public import struct HandoffCore.NotFoundError
@_exported public import struct HandoffCore.ConflictError
@_exported public import struct HandoffCore.StoreError

// Time, and words.
@_exported public import struct HandoffCore.TimeParser
@_exported public import struct HandoffCore.TimeRange
@_exported public import enum HandoffCore.Timestamp
@_exported public import enum HandoffCore.Label
@_exported public import func HandoffCore.counted
@_exported public import enum HandoffCore.Stemmer
@_exported public import enum HandoffCore.Stopwords
@_exported public import enum HandoffCore.EditDistance
@_exported public import struct HandoffCore.SeededRandom
