# What the compliance engine finds, in English.
# Every id here is also in locales/ru/findings.ftl, with the same arguments.
# Numbers and dates are formatted by accord before Fluent sees them; ids and texts from
# agreement files and records ($agreement, $limit, $unit, $title...) appear as they are.

## Parts of other messages

item = { $value }
list-and = {" and "}
list-or = {" or "}
list-comma = {", "}
force = { $count } { $unit }
forces-not-stated = forces not stated
instant = { $date }, { $time } UTC
quantity-exactly = { $count }
quantity-more-than = more than { $count }
quantity-at-least = at least { $count }
quantity-about = about { $count }
quantity-up-to = up to { $count }
quantity-range = { $count } to { $high }
source = { $outlet }
source-quoting = { $who }, via { $outlet }

## Why a provision does not bind

status-none = { $agreement } has no status yet on { $date }
status-proposed = { $agreement } is a proposal, not in force (ask what it would demand with --assume-in-force { $agreement })
status-signed = { $agreement } was signed on { $since } but is not in force
status-expired = { $agreement } expired on { $since }
status-terminated = { $agreement } ended on { $since }
status-suspended = { $agreement } is suspended since { $since }
status-other = { $agreement } is { $status }
binds-from = binds only from { $binds_from }, not yet on { $date }
not-binding = { $title }: { $why }
not-binding-limit = { $party } { $limit }: level { $level } { $unit } as of { $as_of } against a limit of { $max }; { $why }

## Limits

limit-undeclared = { $party } { $limit }: no declaration of { $party } is recorded; the limit of { $max } { $unit } cannot be checked
limit-unstated = { $party } { $limit }: no declaration of { $party } states the counted categories; the limit of { $max } { $unit } cannot be checked
limit-condition-false = { $party } { $limit }: the condition `{ $condition }` does not hold; level { $level } { $unit } not judged
limit-condition-error = { $party } { $limit }: the condition could not be evaluated: { $error }
limit-exceeded = { $party } declared { $level } { $unit } ({ $limit }) as of { $as_of }: { $excess } above the limit of { $max }
limit-within = { $party } declared { $level } { $unit } ({ $limit }) as of { $as_of }: within the limit of { $max } ({ $percent }% used)
limit-within-zero = { $party } declared { $level } { $unit } ({ $limit }) as of { $as_of }: within the limit of { $max }
note-stale = but these are the latest figures, { $days } { $days ->
        [one] day
       *[other] days
    } old on { $date }: no current declaration
note-figures-from = figures from the { $source } declaration, none being made under { $agreement }
note-newer-unstated = the newer declaration as of { $as_of } does not state it
note-suspended = { $party } declared its participation suspended on { $date }
note-suspended-because = { $party } declared its participation suspended on { $date }: { $reason }

## Data exchanges

exchange-unrecorded = no data exchange of { $party } under { $agreement } is recorded in this state; the schedule is not checked
exchange-late = { $party } made the data exchange as of { $as_of } { $days } { $days ->
        [one] day
       *[other] days
    } after it was due ({ $due })
exchange-missing = { $party } made no data exchange as of { $as_of } (due by { $due })
note-last-exchange = the last exchange made was as of { $as_of }
exchanges-made = { $party } made { $count } scheduled data { $count ->
        [one] exchange
       *[other] exchanges
    }, as of { $first } to { $last }
note-without-figures = { $count } recorded without published figures

## Notification and observation of activities

activity-condition-error = { $activity }: the condition could not be evaluated: { $error }
notified-late = { $activity } ({ $start } to { $end }, { $forces }) was notified { $ahead } { $ahead ->
        [one] day
       *[other] days
    } ahead; { $required } { $required ->
        [one] day is
       *[other] days are
    } required
note-alert-at-start = notified at the start of an alert activity
notified-in-time = { $party } notified { $count } notifiable { $count ->
        [one] activity
       *[other] activities
    } starting in { $year } in time
notified-below-observed = { $activity } was notified with { $notified } { $unit }, but an open source reports { $observed } on { $date } ({ $source })
unnotified-observed = open sources report { $party } forces in { $zone }: { $quantity } { $unit } on { $date } ({ $source })
note-observations = { $count } open-source observations from { $first_date } ({ $first }) to { $last_date } ({ $last })
note-not-notified = no activity there was notified under { $cite } (threshold { $threshold } { $unit }, { $lead } { $lead ->
        [one] day
       *[other] days
    } ahead)
note-no-observers = no activity was notified, so no observers were invited under { $cite } (threshold { $threshold } { $unit })
note-open-sources = a suspicion on open sources alone: { $independent } independent { $independent ->
        [one] source
       *[other] sources
    }, { $official } official, confidence { $score } of 100
observers-invited = { $party } invited observers to { $count } notified { $count ->
        [one] activity
       *[other] activities
    } of { $year } at or above the observation thresholds
observers-not-invited = { $party } notified { $activity } ({ $start } to { $end }, { $forces }) without inviting observers, which { $cite } requires at { $thresholds }
note-invitation-unstated = the notification does not say that observers were invited
host-not-notified = { $party } did not notify { $activity } ({ $start } to { $end }, { $forces }) on its territory ({ $zone }), notified by { $notifier }: the host State notifies ({ $cite })
host-unnotified-observed = open sources report { $actor } forces on the territory of { $party } ({ $zone }): { $quantity } { $unit } on { $date } ({ $source })
note-host-duty = { $party } is the host State: it notifies an activity on its territory even when its own forces take no part or stay below the thresholds ({ $cite })

## Calendars and constraints

calendar-unrecorded = no annual calendar of { $party } under { $agreement } is recorded in this state; not checked
calendar-missing = { $party } has issued no annual calendar for { $year } (due by { $due })
calendar-late = { $party } issued its annual calendar for { $year } on { $issued }, after it was due ({ $due })
calendar-on-time = { $party } issued its annual calendar for { $year } by { $due }
period-simultaneous = at the same time in { $year }
period-year = in { $year }
period-years = in { $first } to { $last }
constraint-count = { $party } held { $count } notified { $count ->
        [one] activity
       *[other] activities
    } above { $thresholds } { $period }; at most { $max } allowed
constraint-in-calendar = { $activity } (above { $thresholds }) was announced in the annual calendar for { $year }
constraint-not-in-calendar = { $activity } ({ $start } to { $end }, above { $thresholds }) was not announced in an annual calendar for { $year }

## Risk reduction

request-asked = { $requester } asked { $party } on { $asked } for an explanation ({ $area }) under { $cite }
request-replied = { $request }; { $party } replied after { $hours } { $hours ->
        [one] hour
       *[other] hours
    } ({ $allowed } allowed)
request-unanswered = { $request }; no reply after { $hours } { $hours ->
        [one] hour
       *[other] hours
    }, past the { $allowed }-hour deadline ({ $due })
note-meeting = the requesting state may now ask for a meeting within { $hours } hours
request-open = { $request }; reply open, due by { $due }
request-reply-predates = { $request }; { $party }'s reply is dated { $dated }, before the request: never on time
note-time-witnessed = the reply counts from when another party's node first cosigned { $party }'s log holding it, the requester's where known; { $party } dated it { $dated }
note-time-dated = the reply counts from the date { $party } gave it: no cosignature of a checkpoint of its log holding it is known

## Inspections and visits

quota-beyond = { $requester } requested an inspection ({ $what }) of { $party } for { $date } beyond the quota ({ $quota } a year); { $party } need not accept it
quota-beyond-per-party = { $requester } requested an inspection ({ $what }) of { $party } for { $date } beyond the quota ({ $quota } a year, { $per_party } from one inspecting party); { $party } need not accept it
quota-unreported = { $party } accepted no inspection ({ $what }) requested by { $requester } for { $date } within the quota: no report
quota-used = { $count } { $count ->
        [one] inspection
       *[other] inspections
    } ({ $what }) of { $party } requested in { $year }; quota { $quota }
visit-not-owed = { $party } owes no visit ({ $purpose }) yet: the reciprocal visits under { $reciprocal } have not been granted
visit-not-owed-because = { $party } owes no visit ({ $purpose }) yet: the reciprocal visits under { $reciprocal } have not been granted ({ $reason })
visit-unrequested = no visit to { $party } ({ $purpose }) has been requested yet
visit-not-hosted = { $party } did not host the visit requested by { $requester } for { $date } ({ $purpose })
visit-hosted = { $party } hosted the visit at { $site } on { $date }; items whose absence it confirms: { $found }
quota-beyond-share = { $requester }'s request ({ $what }) of { $party } for { $date } is beyond one State's share ({ $share } of the quota of { $quota } a year); { $party } need not accept it
quota-beyond-site = { $requester }'s request ({ $what }) of { $party } for { $date } at { $site } is beyond { $per_site } a year at one site or unit; { $party } need not accept it
quota-beyond-site-party = { $requester }'s request ({ $what }) of { $party } for { $date } at { $site } is beyond { $per_site } a year at one site or unit by the same State; { $party } need not accept it
quota-beyond-at-a-time = { $requester }'s request ({ $what }) of { $party } for { $date } falls while { $at_a_time } already { $at_a_time ->
        [one] is
       *[other] are
    } under way, the most at a time; { $party } need not accept it
quota-open = { $requester }'s request ({ $what }) of { $party } for { $date } was accepted within the quota and has no report yet
visit-open = the visit to { $party } requested by { $requester } for { $date } ({ $purpose }) has no report yet
note-no-report-time = the agreement file sets no time within which it is over and reported, so it stays open
note-report-due = the report was due by { $due } ({ $cite })
inspection-undeclared-site = inspectors counted { $total } items at site { $site } on { $date }, a site no verified reveal of { $party }'s declaration shows
inspection-empty-unrevealed = inspection of site { $site } on { $date } counted nothing, but the site is not in any verified reveal
inspection-mismatch = inspectors counted { $counted } { $category } at site { $site } on { $date }, the revealed declaration says { $declared } ({ $why })
inspection-category-undeclared = category { $category } is not in the declaration
inspection-more = { $difference } more than declared
inspection-fewer = { $difference } fewer than declared
inspection-agrees = inspection of site { $site } on { $date } agrees with the revealed declaration ({ $count } { $count ->
        [one] category
       *[other] categories
    } counted)

## Prohibitions and bans

zone-observed = an open source reports { $quantity } { $unit } of { $party } in { $zone } on { $date } ({ $source }); whether they are forbidden (permanent, with a combat mission, of a banned class) is for inspection to establish
zone-deployment-notified = { $party } notified a deployment in { $zone } ({ $forces }): forbidden there
zone-clear = no forbidden forces or systems of { $party } ({ $categories }) are observed or notified in { $zones } in the records up to { $date }
class-ban-undeclared = no declaration of { $party } under { $agreement } is recorded; the ban on { $classes } is not checked
class-ban-declared = { $party } declared { $held } items of the banned classes ({ $classes }) as of { $as_of }
commitment-in-words = stated in words, not machine-checked: { $text }
seed-reveal-late = { $party } revealed its seed of selection round { $round } at { $revealed_at }, after the deadline { $due }
seed-reveal-missing = { $party } committed a seed in selection round { $round } but did not reveal it by { $due }
escrow-check-failed = { $party }'s { $kind } record { $record } failed its check on arrival ({ $check }): { $reason }

## The regimes as their texts run them

limit-before-binding = { $party } declared { $level } { $unit } ({ $limit }) as of { $as_of }, { $excess } above the limit of { $max }, but these figures predate { $binds_from }, when the limit began to bind: no figures since show whether it is kept
note-published-only = the party published its figures for that date on { $published } without exchanging them
note-countermeasure = { $party } declared this withheld from { $from } as a countermeasure against { $against }: { $measures } (in response to: { $in_response_to })
inspections-refused = { $party } refuses inspections from { $from }: { $reason }
countermeasure-declared = { $party } declared that from { $from } it withholds what this provision requires
meeting-requested = { $requester } asked { $party } on { $asked } for a meeting under { $cite }; to be held by { $due }
meeting-unrecorded = { $requester } asked { $party } on { $asked } for a meeting under { $cite }, due by { $due }; no meeting is recorded
meeting-attended = { $party } attended the meeting of { $held } requested by { $requester } under { $cite }
meeting-absent = { $party } did not attend the meeting of { $held } requested by { $requester } under { $cite }
joint-session-absent = { $party } did not attend the joint session of { $held } requested by { $requester } under { $cite }; who must attend is not stated, so its absence needs explaining rather than shows a breach
zone-not-established = open sources report { $quantity } { $unit } of { $party } in { $zone } on { $date }, an area that includes { $zones }: whether any of these forces are in { $zones } is not established
class-reported = { $source } reports { $quantity } { $unit } of { $party } of the banned classes ({ $classes }) on { $date }: a suspected breach, which an inspection or the party's own declaration must settle
event-notice-late = { $party } notified the { $event } of { $occurs } on { $issued }, after it was due ({ $due })
event-notices-in-time = { $party } gave { $count } { $count ->
        [one] notice
       *[other] notices
    } in time
event-notices-unrecorded = no notice of { $party } under { $agreement } is recorded in this state; not checked

## Dates of records against their logs

record-dated-after-logged = { $party } dated { $record } (entry { $index } of the log of { $log }) { $dated }, more than { $tolerance } minutes after { $cosigner } cosigned a checkpoint holding it ({ $witnessed })
record-dated-before-logged = { $party } dated { $record } (entry { $index } of the log of { $log }) { $dated }, more than { $tolerance } minutes before the log was last cosigned without it ({ $not_before })
record-dated-before-answered = { $party } dated { $record } { $dated }, before { $answered } of { $author } that it answers ({ $answered_dated })
