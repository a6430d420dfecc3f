// A plugin imports this module and no other of Handoff's (Package.swift gives a plugin no other
// dependency, and scripts/check-imports holds it to that): the lead model, the definition,
// import records, time and the store's protocols come from HandoffCore, passed on from here.
@_exported public import HandoffCore
