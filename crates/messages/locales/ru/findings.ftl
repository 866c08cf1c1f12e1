# Выводы механизма проверки соблюдения, по-русски.
# Каждый идентификатор здесь есть и в locales/en/findings.ftl, с теми же аргументами.
# Числа и даты форматирует accord до Fluent; идентификаторы и тексты из файлов соглашений и
# записей ($agreement, $limit, $unit, $title...) выводятся как есть.

## Части других сообщений

item = { $value }
list-and = {" и "}
list-or = {" или "}
list-comma = {", "}
force = { $count } { $unit }
forces-not-stated = силы не указаны
instant = { $date }, { $time } UTC
quantity-exactly = { $count }
quantity-more-than = более { $count }
quantity-at-least = не менее { $count }
quantity-about = около { $count }
quantity-up-to = до { $count }
quantity-range = от { $count } до { $high }
source = { $outlet }
source-quoting = { $who }, по данным { $outlet }

## Почему положение не действует

status-none = у { $agreement } на { $date } ещё нет статуса
status-proposed = { $agreement } — предложение, не вступившее в силу (что оно потребовало бы, покажет --assume-in-force { $agreement })
status-signed = { $agreement } подписано { $since }, но не вступило в силу
status-expired = срок действия { $agreement } истёк { $since }
status-terminated = действие { $agreement } прекращено { $since }
status-suspended = действие { $agreement } приостановлено с { $since }
status-other = статус { $agreement }: { $status }
binds-from = действует только с { $binds_from }, на { $date } ещё нет
not-binding = { $title }: { $why }
not-binding-limit = { $party } { $limit }: уровень { $level } { $unit } на { $as_of } при пределе { $max }; { $why }

## Пределы

limit-undeclared = { $party } { $limit }: ни одного заявления { $party } не записано; предел { $max } { $unit } проверить нельзя
limit-unstated = { $party } { $limit }: ни одно заявление { $party } не указывает засчитываемые категории; предел { $max } { $unit } проверить нельзя
limit-condition-false = { $party } { $limit }: условие `{ $condition }` не выполняется; уровень { $level } { $unit } не оценивается
limit-condition-error = { $party } { $limit }: условие не удалось вычислить: { $error }
limit-exceeded = { $party } заявила { $level } { $unit } ({ $limit }) на { $as_of }: на { $excess } больше предела { $max }
limit-within = { $party } заявила { $level } { $unit } ({ $limit }) на { $as_of }: в пределах { $max } (использовано { $percent } %)
limit-within-zero = { $party } заявила { $level } { $unit } ({ $limit }) на { $as_of }: в пределах { $max }
note-stale = но это последние данные, на { $date } им { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    }: актуального заявления нет
note-figures-from = данные из заявления по { $source }, по { $agreement } заявлений нет
note-newer-unstated = более новое заявление на { $as_of } этих данных не содержит
note-suspended = { $party } заявила о приостановке своего участия { $date }
note-suspended-because = { $party } заявила о приостановке своего участия { $date }: { $reason }

## Обмен данными

exchange-unrecorded = обмен данными { $party } по { $agreement } в этом состоянии не записан; график не проверяется
exchange-late = { $party } передала данные на { $as_of } с опозданием на { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    } (срок — { $due })
exchange-missing = { $party } не передала данные на { $as_of } (срок — { $due })
note-last-exchange = последний состоявшийся обмен — на { $as_of }
exchanges-made = { $party } провела { $count } { $count ->
        [one] плановый обмен
        [few] плановых обмена
       *[many] плановых обменов
    } данными, на даты с { $first } по { $last }
note-without-figures = без опубликованных данных: { $count }

## Уведомление о деятельности и наблюдение

activity-condition-error = { $activity }: условие не удалось вычислить: { $error }
notified-late = о деятельности «{ $activity }» ({ $start } — { $end }, { $forces }) уведомили за { $ahead } { $ahead ->
        [one] день
        [few] дня
       *[many] дней
    }; требуется { $required } { $required ->
        [one] день
        [few] дня
       *[many] дней
    }
note-alert-at-start = уведомление в начале деятельности по тревоге
notified-in-time = { $party } своевременно уведомила о { $count } { $count ->
        [one] подлежащей уведомлению деятельности
       *[other] подлежащих уведомлению видах деятельности
    }, начавшихся в { $year } году
notified-below-observed = о деятельности «{ $activity }» уведомили с численностью { $notified } { $unit }, но открытый источник сообщает о { $observed } на { $date } ({ $source })
unnotified-observed = открытые источники сообщают о силах { $party } в районе «{ $zone }»: { $quantity } { $unit } на { $date } ({ $source })
note-observations = наблюдений по открытым источникам: { $count }, с { $first_date } ({ $first }) по { $last_date } ({ $last })
note-not-notified = уведомления о деятельности там по { $cite } не было (порог { $threshold } { $unit }, за { $lead } { $lead ->
        [one] день
        [few] дня
       *[many] дней
    })
note-no-observers = уведомления о деятельности не было, поэтому наблюдатели по { $cite } не приглашены (порог { $threshold } { $unit })
note-open-sources = подозрение только по открытым источникам: независимых источников { $independent }, официальных { $official }, достоверность { $score } из 100
observers-invited = { $party } пригласила наблюдателей на { $count } { $count ->
        [one] уведомлённую деятельность
       *[other] уведомлённых видов деятельности
    } { $year } года на уровне порогов наблюдения или выше
observers-not-invited = { $party } уведомила о деятельности «{ $activity }» ({ $start } – { $end }, { $forces }), не пригласив наблюдателей, хотя { $cite } требует этого при { $thresholds }
note-invitation-unstated = в уведомлении не сказано, что наблюдатели приглашены
host-not-notified = { $party } не уведомила о деятельности «{ $activity }» ({ $start } – { $end }, { $forces }) на своей территории ({ $zone }), о которой уведомила { $notifier }: уведомляет принимающее государство ({ $cite })
host-unnotified-observed = открытые источники сообщают о силах { $actor } на территории { $party } ({ $zone }): { $quantity } { $unit } на { $date } ({ $source })
note-host-duty = { $party } — принимающее государство: оно уведомляет о деятельности на своей территории, даже если его собственные силы в ней не участвуют или остаются ниже порогов ({ $cite })

## Календари и ограничения

calendar-unrecorded = годовой календарь { $party } по { $agreement } в этом состоянии не записан; не проверяется
calendar-missing = { $party } не представила годовой календарь на { $year } год (срок — { $due })
calendar-late = { $party } представила годовой календарь на { $year } год { $issued }, после срока ({ $due })
calendar-on-time = { $party } представила годовой календарь на { $year } год к сроку ({ $due })
period-simultaneous = одновременно в { $year } году
period-year = в { $year } году
period-years = в { $first }–{ $last } годах
constraint-count = { $party } провела { $count } { $count ->
        [one] уведомлённую деятельность
       *[other] уведомлённых видов деятельности
    } свыше { $thresholds } { $period }; допускается не более { $max }
constraint-in-calendar = деятельность «{ $activity }» (свыше { $thresholds }) была объявлена в годовом календаре на { $year } год
constraint-not-in-calendar = деятельность «{ $activity }» ({ $start } — { $end }, свыше { $thresholds }) не была объявлена в годовом календаре на { $year } год

## Уменьшение опасности

request-asked = { $requester } запросила у { $party } { $asked } разъяснения ({ $area }) по { $cite }
request-replied = { $request }; { $party } ответила через { $hours } { $hours ->
        [one] час
        [few] часа
       *[many] часов
    } (допускается { $allowed })
request-unanswered = { $request }; ответа нет через { $hours } { $hours ->
        [one] час
        [few] часа
       *[many] часов
    }, срок в { $allowed } ч истёк ({ $due })
note-meeting = запросившее государство может теперь потребовать встречи в течение { $hours } ч
request-open = { $request }; ответ ожидается до { $due }
request-reply-predates = { $request }; ответ { $party } датирован { $dated }, раньше запроса: он не может считаться своевременным
note-time-witnessed = время ответа отсчитывается от первой подписи узла другой стороны (по возможности запросившей) под журналом { $party }, содержащим его; { $party } датировала его { $dated }
note-time-dated = время ответа взято из даты, указанной { $party }: подпись под контрольной точкой её журнала, содержащей ответ, неизвестна

## Инспекции и посещения

quota-beyond = { $requester } запросила инспекцию ({ $what }) { $party } на { $date } сверх квоты ({ $quota } в год); { $party } не обязана её принимать
quota-beyond-per-party = { $requester } запросила инспекцию ({ $what }) { $party } на { $date } сверх квоты ({ $quota } в год, { $per_party } от одной инспектирующей стороны); { $party } не обязана её принимать
quota-unreported = { $party } не приняла инспекцию ({ $what }), запрошенную { $requester } на { $date } в пределах квоты: отчёта нет
quota-used = инспекций ({ $what }) { $party }, запрошенных в { $year } году: { $count }; квота { $quota }
visit-not-owed = { $party } пока не обязана принимать посещение ({ $purpose }): ответные посещения по { $reciprocal } не предоставлены
visit-not-owed-because = { $party } пока не обязана принимать посещение ({ $purpose }): ответные посещения по { $reciprocal } не предоставлены ({ $reason })
visit-unrequested = посещение { $party } ({ $purpose }) пока не запрашивалось
visit-not-hosted = { $party } не приняла посещение, запрошенное { $requester } на { $date } ({ $purpose })
visit-hosted = { $party } приняла посещение объекта { $site } { $date }; предметов, отсутствие которых оно подтверждает: { $found }
quota-beyond-share = запрос { $requester } ({ $what }) к { $party } на { $date } превышает долю одного государства ({ $share } из квоты { $quota } в год); { $party } не обязана его принимать
quota-beyond-site = запрос { $requester } ({ $what }) к { $party } на { $date } на объект { $site } превышает { $per_site } в год на один объект или одну часть; { $party } не обязана его принимать
quota-beyond-site-party = запрос { $requester } ({ $what }) к { $party } на { $date } на объект { $site } превышает { $per_site } в год на один объект или одну часть от одного государства; { $party } не обязана его принимать
quota-beyond-at-a-time = запрос { $requester } ({ $what }) к { $party } на { $date } приходится на время, когда уже идёт предельное число одновременных: { $at_a_time }; { $party } не обязана его принимать
quota-open = запрос { $requester } ({ $what }) к { $party } на { $date } принят в пределах квоты, отчёта пока нет
visit-open = по посещению { $party }, запрошенному { $requester } на { $date } ({ $purpose }), отчёта пока нет
note-no-report-time = файл соглашения не устанавливает срок её проведения и отчёта, поэтому она остаётся открытой
note-report-due = отчёт ожидался не позднее { $due } ({ $cite })
inspection-undeclared-site = инспекторы насчитали { $total } ед. на объекте { $site } { $date }, а ни одно проверенное раскрытие заявления { $party } этого объекта не содержит
inspection-empty-unrevealed = инспекция объекта { $site } { $date } ничего не насчитала, но объекта нет ни в одном проверенном раскрытии
inspection-mismatch = инспекторы насчитали { $counted } ({ $category }) на объекте { $site } { $date }, а раскрытое заявление указывает { $declared } ({ $why })
inspection-category-undeclared = категории { $category } в заявлении нет
inspection-more = на { $difference } больше заявленного
inspection-fewer = на { $difference } меньше заявленного
inspection-agrees = инспекция объекта { $site } { $date } совпадает с раскрытым заявлением (проверено категорий: { $count })

## Запреты

zone-observed = открытый источник сообщает о { $quantity } { $unit } { $party } в районе «{ $zone }» на { $date } ({ $source }); запрещены ли они (постоянное размещение, боевая задача, запрещённый класс), должна установить инспекция
zone-deployment-notified = { $party } уведомила о развёртывании в районе «{ $zone }» ({ $forces }): там оно запрещено
zone-clear = запрещённых сил и систем { $party } ({ $categories }) в районах { $zones } по записям до { $date } не наблюдается и уведомлений о них нет
class-ban-undeclared = ни одного заявления { $party } по { $agreement } не записано; запрет на { $classes } не проверяется
class-ban-declared = { $party } заявила { $held } ед. запрещённых классов ({ $classes }) на { $as_of }
commitment-in-words = изложено словами, машинной проверке не подлежит: { $text }
seed-reveal-late = { $party } раскрыла своё начальное значение раунда отбора { $round } в { $revealed_at }, после срока { $due }
seed-reveal-missing = { $party } зафиксировала начальное значение в раунде отбора { $round }, но не раскрыла его к { $due }
escrow-check-failed = запись { $kind } { $record } стороны { $party } не прошла проверку при получении ({ $check }): { $reason }

## The regimes as their texts run them

limit-before-binding = { $party } заявила { $level } { $unit } ({ $limit }) на { $as_of }, на { $excess } больше предела { $max }, но эти данные относятся ко времени до { $binds_from }, когда предел вступил в действие: более новых данных, показывающих, соблюдается ли он, нет
note-published-only = сторона опубликовала свои данные на эту дату { $published }, не передав их другой стороне
note-countermeasure = { $party } заявила, что с { $from } не выполняет это в качестве контрмеры в отношении { $against }: { $measures } (в ответ на: { $in_response_to })
inspections-refused = { $party } отказывается от инспекций с { $from }: { $reason }
countermeasure-declared = { $party } заявила, что с { $from } не выполняет требования этого положения
meeting-requested = { $requester } запросила у { $party } { $asked } встречу согласно { $cite }; она должна состояться до { $due }
meeting-unrecorded = { $requester } запросила у { $party } { $asked } встречу согласно { $cite } со сроком до { $due }; встреча не зафиксирована
meeting-attended = { $party } участвовала во встрече { $held }, запрошенной { $requester } согласно { $cite }
meeting-absent = { $party } не явилась на встречу { $held }, запрошенную { $requester } согласно { $cite }
joint-session-absent = { $party } не явилась на совместное заседание { $held }, запрошенное { $requester } согласно { $cite }; кто обязан присутствовать, не указано, поэтому её отсутствие требует объяснения, но не доказывает нарушения
zone-not-established = открытые источники сообщают о { $quantity } { $unit } { $party } в районе «{ $zone }» на { $date }, который включает { $zones }: находятся ли какие-либо из этих сил в { $zones }, не установлено
class-reported = { $source } сообщает о { $quantity } { $unit } { $party } запрещённых классов ({ $classes }) на { $date }: предполагаемое нарушение, которое должна разрешить инспекция или декларация самой стороны
event-notice-late = { $party } уведомила о событии «{ $event }» от { $occurs } лишь { $issued }, позже срока ({ $due })
event-notices-in-time = { $party } направила в срок уведомлений: { $count }
event-notices-unrecorded = уведомления { $party } по { $agreement } в этом состоянии не зафиксированы; не проверяется

## Даты записей и журналы

record-dated-after-logged = { $party } датировала запись { $record } (запись { $index } журнала { $log }) { $dated }, более чем на { $tolerance } мин позже подписи { $cosigner } под контрольной точкой, содержащей её ({ $witnessed })
record-dated-before-logged = { $party } датировала запись { $record } (запись { $index } журнала { $log }) { $dated }, более чем на { $tolerance } мин раньше последней подписи под журналом без неё ({ $not_before })
record-dated-before-answered = { $party } датировала запись { $record } { $dated }, раньше записи { $answered } ({ $author }), на которую она отвечает ({ $answered_dated })
