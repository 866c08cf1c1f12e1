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
