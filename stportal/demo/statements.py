"""Demo supervisor statements (P5), written through the services as the demo's people, with
their instants in the past relative to today:

- an earlier statement by `handledare` about `stlakare`, covering the half-year before last,
  once sent back by `studierektor` with a comment, completed and then reviewed;
- a statement for the last half-year in draft, for `handledare` to finish and submit.

A second load changes nothing: each is written only when `stlakare` has none of its kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from stportal.accounts.models import TraineeProfile, User
from stportal.core.dates import start_of_day
from stportal.statements import services, workflow
from stportal.statements.models import SupervisorStatement

EARLIER_TEXT = (
    "Sara Berglund har under perioden tjänstgjort på vårdcentralen med egen mottagning fyra "
    "dagar i veckan. Hon tar en god anamnes, undersöker strukturerat och dokumenterar "
    "tydligt. Hon har blivit säkrare i att handlägga vanliga infektioner, hypertoni och "
    "diabetes typ 2 enligt regionens riktlinjer.\n"
    "Vi har haft handledningssamtal varannan vecka. Sara förbereder sig väl och tar upp egna "
    "patientfall, ofta med frågor om prioritering och om när en patient behöver remitteras.\n"
    "Till nästa period behöver hon öva på att avgränsa besöken när patienten kommer med "
    "flera besvär, och på att leda teamets möten."
)
EARLIER_ADDITION = (
    "\nSara har genomfört ett kvalitetsarbete om uppföljning av patienter med förmaksflimmer "
    "och redovisat det på arbetsplatsträffen (delmål a6 och c13)."
)
SEND_BACK_COMMENT = (
    "Tack! Komplettera gärna med hur kvalitetsarbetet har gått, så att utlåtandet täcker delmål a6."
)

DRAFT_TEXT = (
    "Sara Berglund har det senaste halvåret fortsatt utvecklas mot självständighet i "
    "allmänmedicinens breda uppdrag. Hon handlägger multisjuka äldre med god överblick och "
    "samverkar väl med distriktssköterskorna i hemsjukvården.\n"
    "Hon har själv lett två teamträffar och fått god återkoppling från kollegorna.\n"
    "Att utveckla: läkemedelsgenomgångar hos patienter med många läkemedel, och att våga "
    "avsluta kontakter som inte längre behöver läkare."
)

Counter = Callable[[str], None]


def _half_year_ago(day: dt.date, halves: int) -> dt.date:
    months = day.year * 12 + day.month - 1 - 6 * halves
    return dt.date(months // 12, months % 12 + 1, 1)


def load_statements(*, today: dt.date, counter: Counter) -> None:
    trainee = (
        TraineeProfile.objects.select_related("user", "home_unit", "supervisor")
        .filter(user__username="stlakare")
        .first()
    )
    handledare = User.objects.filter(username="handledare").first()
    studierektor = User.objects.filter(username="studierektor").first()
    if trainee is None or handledare is None or studierektor is None:
        return
    if trainee.supervisor_id != handledare.pk:
        return
    existing = SupervisorStatement.objects.filter(trainee=trainee)
    this_half = _half_year_ago(today, 0)
    last_half = _half_year_ago(today, 1)
    before_last = _half_year_ago(today, 2)
    if not existing.filter(status=workflow.REVIEWED).exists():
        written = start_of_day(last_half + dt.timedelta(days=3)).replace(hour=14)
        earlier = services.write_statement(
            actor=handledare,
            trainee=trainee,
            text=EARLIER_TEXT,
            period_from=before_last,
            period_to=last_half - dt.timedelta(days=1),
            now=written,
        )
        services.submit_statement(
            actor=handledare, statement=earlier, now=written + dt.timedelta(days=1)
        )
        services.review_statement(
            actor=studierektor,
            statement=earlier,
            accepted=False,
            comment=SEND_BACK_COMMENT,
            now=written + dt.timedelta(days=6),
        )
        services.edit_statement(
            actor=handledare,
            statement=earlier,
            text=EARLIER_TEXT + EARLIER_ADDITION,
            now=written + dt.timedelta(days=8),
        )
        services.submit_statement(
            actor=handledare, statement=earlier, now=written + dt.timedelta(days=8, hours=1)
        )
        services.review_statement(
            actor=studierektor,
            statement=earlier,
            accepted=True,
            comment="",
            now=written + dt.timedelta(days=12),
        )
        counter("supervisor_statements")
    if not existing.exclude(status=workflow.REVIEWED).exists():
        services.write_statement(
            actor=handledare,
            trainee=trainee,
            text=DRAFT_TEXT,
            period_from=last_half,
            period_to=this_half - dt.timedelta(days=1),
            now=start_of_day(today - dt.timedelta(days=2)).replace(hour=16),
        )
        counter("supervisor_statements")
