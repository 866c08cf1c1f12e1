# The words around findings, in English: headings, severities, evidence, tallies.
# Every id here is also in locales/ru/interface.ftl, with the same arguments.

severity-violation = violation
severity-concern = concern
severity-compliant = compliant
severity-not_applicable = not applicable
basis-declared = declared by the party
basis-reported_by_party = reported by another party
basis-open_sources = open sources only
evidence-record = record { $id }
evidence-record-logged = record { $id } (log index { $index })
evidence-source = source { $url }
evidence-signed-note = signed note { $line }
evidence-missing = missing: { $expected }
tally = { $violations } { $violations ->
        [one] violation
       *[other] violations
    }, { $concerns } { $concerns ->
        [one] concern
       *[other] concerns
    }, { $compliant } compliant, { $not_applicable } not applicable
scenario-as-of = as of { $instant }: { $records } records from { $parties } parties
no-status-yet = no status yet
assumed-in-force = assumed in force
