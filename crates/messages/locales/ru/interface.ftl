# Слова вокруг выводов, по-русски: заголовки, степени, доказательства, итоги.
# Каждый идентификатор здесь есть и в locales/en/interface.ftl, с теми же аргументами.

severity-violation = нарушение
severity-concern = вызывает вопросы
severity-compliant = соблюдается
severity-not_applicable = не применяется
basis-declared = заявлено стороной
basis-reported_by_party = сообщено другой стороной
basis-open_sources = только открытые источники
evidence-record = запись { $id }
evidence-record-logged = запись { $id } (индекс в журнале { $index })
evidence-source = источник { $url }
evidence-signed-note = подписанная заметка { $line }
evidence-missing = отсутствует: { $expected }
tally = нарушений: { $violations }, вызывают вопросы: { $concerns }, соблюдается: { $compliant }, не применяется: { $not_applicable }
scenario-as-of = на { $instant }: записей { $records }, сторон { $parties }
no-status-yet = статуса ещё нет
assumed-in-force = принято как действующее

## HTML-отчёт

report-evaluated = Оценено на { $instant } по записям: { $records }. Создано accord: те же записи и соглашения дают ту же страницу.
report-agreement = соглашение
report-status-on = статус на { $date }
report-forces-heading = Наблюдаемые силы и пороги
report-forces-caption = Наблюдения сил { $party } по открытым источникам, по районам, в сравнении с порогами { $agreement }; пунктиром — запросы разъяснений и их сроки.
report-levels-heading = Заявленные уровни и пределы
report-levels-caption = Заявленных уровней: { $points }, предел { $max } { $unit }; каждая точка — запись заявления, пунктир — пропуск в заявлениях.
report-findings-heading = Выводы
report-col-severity = степень
report-col-subject = соглашение / положение / сторона
report-col-found = что установлено
report-col-evidence = доказательства
report-not-applicable = Неприменимых выводов: { $count } (не в силе, ещё не действует, не проверяется)
report-records-heading = Цитируемые записи
report-records-caption = Каждая запись, на которую ссылаются выводы, в том виде, в каком её выпустил автор.
chart-as-of = на дату
chart-limit = предел { $max }
chart-binds-from = действует с { $date }
chart-suspended = приостановлено { $date }
chart-expired = истекло { $date }
chart-terminated = прекращено { $date }
chart-threshold = { $provision }: { $count }
chart-request = запрос { $id }
chart-deadline = срок ответа на { $id }
agreement-status = { $status ->
        [proposed] предложено
        [signed] подписано, не вступило в силу
        [in_force] в силе
        [extended] в силе, продлено
        [suspended] приостановлено
        [expired] истекло
       *[terminated] прекращено
    }
