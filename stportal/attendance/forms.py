"""Forms of the course leader's register pages (C17). They check the shape of the input only;
whether a result needs a reason, whether a day may be recorded and whether the register may
close is the services' to decide, and their answers are shown next to the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stportal.attendance.selectors import ParticipantRow

PRESENT = "present"
ABSENT = "absent"


@dataclass(frozen=True)
class DayRow:
    """One participant's line of the day form: their name and the two bound fields."""

    participant: ParticipantRow
    presence: forms.BoundField
    note: forms.BoundField

    @property
    def anchor(self) -> str:
        return f"participant-{self.participant.registration_id}"


class DayForm(forms.Form):
    """Present or absent, with an optional note, for every participant on one course day.

    A day not recorded yet starts with everyone present, so that in the classroom the leader
    only marks who is missing; the page says so above the list.
    """

    def __init__(
        self, *args, participants: Sequence[ParticipantRow], day: dt.date, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.day = day
        self.participants = list(participants)
        for row in self.participants:
            record = row.attendance.get(day)
            self.fields[self.presence_name(row)] = forms.ChoiceField(
                label=row.name,
                choices=[
                    (PRESENT, pgettext_lazy("attendance", "Present")),
                    (ABSENT, pgettext_lazy("attendance", "Absent")),
                ],
                widget=forms.RadioSelect,
                initial=ABSENT if record is not None and not record.present else PRESENT,
                error_messages={"required": _("Choose present or absent.")},
            )
            self.fields[self.note_name(row)] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=500,
                initial=record.note if record is not None else "",
            )

    @staticmethod
    def presence_name(row: ParticipantRow) -> str:
        return f"presence-{row.registration_id}"

    @staticmethod
    def note_name(row: ParticipantRow) -> str:
        return f"note-{row.registration_id}"

    @property
    def rows(self) -> list[DayRow]:
        return [
            DayRow(row, self[self.presence_name(row)], self[self.note_name(row)])
            for row in self.participants
        ]

    def records(self) -> list[tuple[int, dt.date, bool, str]]:
        """The input of `record_attendance`: (registration id, day, present, note)."""
        return [
            (
                row.registration_id,
                self.day,
                self.cleaned_data[self.presence_name(row)] == PRESENT,
                self.cleaned_data[self.note_name(row)],
            )
            for row in self.participants
        ]


class ResultForm(forms.Form):
    """C17: passed, not passed or incomplete, with a reason (or what must be made up)."""

    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            ("passed", pgettext_lazy("course result", "Passed")),
            ("not_passed", pgettext_lazy("course result", "Not passed")),
            ("incomplete", pgettext_lazy("course result", "Incomplete: must make up")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the result.")},
    )
    reason = forms.CharField(
        label=_("Reason, or what must be made up"),
        help_text=_(
            "Needed when you pass someone who did not attend every course day, and when "
            "something must be made up: then write what."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReopenForm(forms.Form):
    """C17: staff reopen a closed register, saying why (the reopening is audited)."""

    reason = forms.CharField(
        label=_("Why is the register reopened?"),
        help_text=_(
            "Kept in the history. Results decided at closing go back to no result, and fees "
            "follow the corrected register when it is closed again."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
