"""Forms for the core pages, and the NHS.UK form plumbing the other apps' forms share.

Forms only validate and clean what people type; the services in `cocomm.services` do every
write, so a form never saves a model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.boundfield import BoundField

from cocomm.models import CCG, AreaTeam, ContractType, Locality, Practice, RoleKind, User

# The NHS.UK frontend class for each kind of widget, and its error modifier.
WIDGET_CLASSES: dict[str, tuple[str, str]] = {
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "radioselect": ("nhsuk-radios__input", ""),
    "checkbox": ("nhsuk-checkboxes__input", ""),
    "checkboxselectmultiple": ("nhsuk-checkboxes__input", ""),
    "clearablefileinput": ("nhsuk-file-upload__input", ""),
    "fileinput": ("nhsuk-file-upload__input", ""),
}
DEFAULT_WIDGET_CLASSES = ("nhsuk-input", "nhsuk-input--error")


class DateParts(forms.MultiWidget):
    """Day, month and year in three boxes: the NHS.UK date input, the same in every browser."""

    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateInputField(forms.MultiValueField):
    """A date typed as day, month and year, with messages that say which part is wrong."""

    widget = DateParts
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "Enter a day, a month and a year",
        "invalid": "Enter a real date",
    }

    def __init__(self, **kwargs: Any) -> None:
        parts = [forms.CharField(required=False) for _ in range(3)]
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> dt.date | None:
        if not data_list or all(not part for part in data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        if not (day and month and year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


@dataclass(frozen=True)
class DatePart:
    label: str
    name: str
    id: str
    value: Any
    width: int


class NHSBoundField(BoundField):
    """Renders widgets with the NHS.UK frontend classes, marking fields that have errors."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        # The class set here replaces the widget's own when Django merges the two, so keep it (a width).
        own = str((widget or self.field.widget).attrs.get("class", ""))
        attrs = super().build_widget_attrs(attrs, widget)
        base, error = WIDGET_CLASSES.get(self.widget_type, DEFAULT_WIDGET_CLASSES)
        classes = [base, str(attrs.get("class", "")), own]
        if self.errors and error:
            classes.append(error)
        attrs["class"] = " ".join(dict.fromkeys(c for c in " ".join(classes).split() if c))
        return attrs

    @property
    def error_anchor(self) -> str:
        """Where the error summary links to: the field, or the first box of a group."""
        if self.widget_type in ("radioselect", "checkboxselectmultiple"):
            return f"{self.auto_id}_0"
        if self.widget_type == "dateparts":
            return f"{self.auto_id}_day"
        return self.id_for_label

    @property
    def date_parts(self) -> list[DatePart]:
        """The day, month and year boxes of a date input, with what was typed or the initial date."""
        value = self.value()
        if not isinstance(value, list | tuple):
            value = self.field.widget.decompress(value)
        names = [("Day", "day", 2), ("Month", "month", 2), ("Year", "year", 4)]
        return [
            DatePart(label, f"{self.html_name}_{key}", f"{self.auto_id}_{key}", part or "", width)
            for (label, key, width), part in zip(names, value, strict=True)
        ]


class NHSForm(forms.Form):
    """A form rendered with `includes/field.html` and summarised by `includes/error_summary.html`."""

    bound_field_class = NHSBoundField
    # Browsers' own required-field bubbles are not accessible; the error summary says it instead.
    use_required_attribute = False

    def attach(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the form, by field where the field is on the form."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


def reason_field() -> forms.CharField:
    """Every change records why it was made; the reason is kept in the history with the name."""
    return forms.CharField(
        label="Reason for the change",
        help_text="This is kept in the history with your name, so say why the change was made.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the reason for the change"},
    )


def _limit_username_length(form: AuthenticationForm) -> None:
    """Refuse a user name longer than any account's before it reaches authentication.

    Django's log-in form sets the field's max_length after the field is built, so only the browser's
    maxlength attribute enforces it. A longer name would then go to authentication and, on failure,
    to django-axes, whose record of the attempt cannot hold it: the page would answer 500. No account
    can have such a name, so it is the form's error.
    """
    field = form.fields["username"]
    limit = field.max_length or 150  # type: ignore[attr-defined]
    field.validators.append(MaxLengthValidator(limit))
    field.error_messages["max_length"] = f"Enter a username of {limit} characters or fewer"


class LoginForm(AuthenticationForm):
    """Django's log-in form with the NHS.UK styles and plainer messages."""

    bound_field_class = NHSBoundField
    use_required_attribute = False
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This login has been switched off. Ask your system administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_username_length(self)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class AdminLoginForm(AdminAuthenticationForm):
    """The admin site's log-in form, with the same limit on the user name as the main one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_username_length(self)


class CCGEditForm(NHSForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the CCG's name"})
    weighted_population = forms.IntegerField(
        label="Weighted population",
        min_value=0,
        required=False,
        help_text="Used to share out the costs of common teams among CCGs.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": "Weighted population must be a whole number, such as 174645",
            "min_value": "Weighted population must be 0 or more",
        },
    )
    reason = reason_field()

    def __init__(self, *args: Any, ccg: CCG, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"name": ccg.name, "weighted_population": ccg.weighted_population})
        super().__init__(*args, **kwargs)
        self.fields["weighted_population"].widget.attrs["class"] = "nhsuk-input--width-10"
        # ccg_update leaves the population alone when given None, so a recorded population
        # cannot be blanked out here; say so rather than silently keep the old one.
        if ccg.weighted_population is not None:
            self.fields["weighted_population"].required = True
            self.fields["weighted_population"].error_messages["required"] = "Enter the weighted population"


class PracticeEditForm(NHSForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the practice's name"}
    )
    contract_type = forms.ChoiceField(
        label="Contract type",
        choices=ContractType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the contract type"},
    )
    list_size = forms.IntegerField(
        label="List size",
        min_value=0,
        required=False,
        help_text="The number of registered patients.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": "List size must be a whole number, such as 8214",
            "min_value": "List size must be 0 or more",
        },
    )
    locality = forms.ModelChoiceField(
        label="Locality",
        queryset=Locality.objects.none(),
        required=False,
        empty_label="No locality",
        error_messages={"invalid_choice": "Select one of the CCG's localities"},
    )
    reason = reason_field()

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": practice.name,
                "contract_type": practice.contract_type,
                "list_size": practice.list_size,
                "locality": practice.locality_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["list_size"].widget.attrs["class"] = "nhsuk-input--width-10"
        localities = Locality.objects.filter(ccg_id=practice.ccg_id).order_by("name")
        locality_field = self.fields["locality"]
        assert isinstance(locality_field, forms.ModelChoiceField)
        locality_field.queryset = localities
        self.fields["locality"].help_text = f"The localities of {practice.ccg.name}."


class LoginCreateForm(NHSForm):
    """A new login for someone who will hold a role in cocomm."""

    username = forms.RegexField(
        label="Username",
        regex=r"^[\w.@+-]+$",
        max_length=150,
        help_text="Letters, digits and . @ + - _ only, for example priya.shah",
        error_messages={"required": "Enter a username", "invalid": "Use only letters, digits and . @ + - _"},
    )
    title = forms.CharField(
        label="Title (optional)", max_length=20, required=False, help_text="Dr, Mrs, Mr, Mx"
    )
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter a first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter a last name"}
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address like name@nhs.net",
        },
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    password = forms.CharField(
        label="First password",
        widget=forms.PasswordInput(render_value=False),
        help_text="At least 12 characters. Ask them to change it when they first log in.",
        error_messages={"required": "Enter a first password"},
    )
    reason = reason_field()

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("That username is taken; choose another")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            probe = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                validate_password(password, probe)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned


class RoleGrantForm(NHSForm):
    """A role for a login: governance officer or Conflicts of Interest Guardian of a CCG, NHS England
    reviewer of an area, administrator."""

    kind = forms.ChoiceField(
        label="Role",
        choices=RoleKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the role"},
    )
    ccg = forms.ModelChoiceField(
        label="CCG (for a governance officer or a Conflicts of Interest Guardian)",
        queryset=CCG.objects.order_by("name"),
        required=False,
        empty_label="Choose a CCG",
    )
    area_team = forms.ModelChoiceField(
        label="NHS England area team (for a reviewer)",
        queryset=AreaTeam.objects.order_by("name"),
        required=False,
        empty_label="Choose an area team",
    )
    starts_on = DateInputField(
        label="Starts on", required=False, help_text="Leave empty to start today. For example, 1 4 2027"
    )
    ends_on = DateInputField(
        label="Ends on (optional)",
        required=False,
        help_text="The first day without the role, if it is for a fixed term.",
    )
    reason = reason_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == RoleKind.GOVERNANCE_OFFICER and not cleaned.get("ccg"):
            self.add_error("ccg", "Choose the CCG they are governance officer of")
        if kind == RoleKind.CONFLICTS_GUARDIAN and not cleaned.get("ccg"):
            self.add_error("ccg", "Choose the CCG they are Conflicts of Interest Guardian of")
        if kind == RoleKind.NHSE_REVIEWER and not cleaned.get("area_team"):
            self.add_error("area_team", "Choose the area team they review for")
        # Only the scope that fits the role is kept, so a stray choice cannot widen it.
        if kind not in (RoleKind.GOVERNANCE_OFFICER, RoleKind.CONFLICTS_GUARDIAN):
            cleaned["ccg"] = None
        if kind != RoleKind.NHSE_REVIEWER:
            cleaned["area_team"] = None
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return cleaned


class RoleEndForm(NHSForm):
    ends_on = DateInputField(
        label="Ends on",
        required=False,
        help_text="The first day without the role. Leave empty to end it now.",
    )
    reason = reason_field()
