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

## Панель узла
dash-nav = страницы
dash-tab-overview = Обзор
dash-tab-findings = Выводы
dash-tab-timeline = Хронология
dash-tab-hotline = Горячая линия
dash-tab-escrow = Депонирование и инспекции
dash-as-of = на момент
dash-show = Показать
dash-language-name = Русский
dash-showing = Узел стороны { $party } на момент { $instant }
dash-alerts = Оповещения
dash-alerts-more = ещё { $count }
dash-agreements = Соглашения узла
dash-status = статус
dash-by-severity = Выводы по степени серьёзности
dash-deadlines = Открытые сроки
dash-none = нет
dash-record = запись
dash-what = что
dash-due = срок
dash-time-left = осталось
dash-owed-reply = { $party } должен ответить { $requester }
dash-owed-exchange = { $party } должен представить данные по состоянию на { $as_of }
dash-overdue = просрочено
dash-hours-left = { $hours ->
        [one] остался { $hours } час
        [few] осталось { $hours } часа
       *[other] осталось { $hours } часов
    }
dash-logs = Журналы узла
dash-party = сторона
dash-origin = журнал
dash-size = записей
dash-final = окончательная контрольная точка
dash-final-size = размер { $size }, ещё не окончательно: { $lag }
dash-not-final = ни одна пока не отвечает политике свидетелей
dash-cosigners = заверили
dash-filter = Отобрать
dash-findings-count = показано { $shown } из { $matching } подходящих выводов (всего { $total })
dash-previous = назад
dash-next = далее
dash-page-of = страница { $page } из { $pages }
dash-signer = подписано
dash-issued = выпущено
dash-index = индекс
dash-proof = Доказательство включения
dash-proof-caption = Запись журнала, хеши, ведущие от неё к корню контрольной точки ниже, и сама контрольная точка с подписями и заверениями.
dash-pinned = Проверьте сами
dash-pinned-caption = Закреплённые ключи хранятся только в этом браузере; проверка выполняется здесь и не зависит от сервера, показавшего страницу.
dash-pin-label = ключи проверки, по одному в строке
dash-pin = Закрепить ключи
dash-unpin = Забыть закреплённые ключи
dash-check = Проверить доказательство
dash-node-keys = ключи, которым доверяет этот узел (сверьте перед закреплением)
dash-check-valid = действительно: запись есть в журнале под контрольной точкой, подписанной закреплённым ключом
dash-check-invalid = недействительно: доказательство или подписи не сходятся с закреплёнными ключами
dash-check-no-keys = нет закреплённых ключей: сначала закрепите ключ журнала
dash-fingerprint = отпечаток
dash-records = Записи
dash-kind = тип
dash-send = Отправить
dash-to = кому
dash-from = от
dash-text = текст
dash-inbox = Входящие
dash-sent = Отправленные
dash-delivered = доставлено
dash-read = прочитано
dash-commitments = Декларации на депонировании
dash-reveals = Раскрытия
dash-limit-proofs = Доказательства соблюдения пределов
dash-seeds = Зёрна для выбора инспекций
dash-entries = записей: { $count }
dash-failed-checks = Записи, не прошедшие проверку при получении
