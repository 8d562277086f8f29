"""Typed settings of spreiding, read from ``SPREIDING_*`` environment variables.

All configuration lives here, so that no module reads the environment itself. Lists are
given comma-separated, e.g. ``SPREIDING_RANDSTAD=PV24,PV26,PV27,PV28``.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from spreiding.core.errors import ConfigurationError

PROVINCE_CODES = tuple(f"PV{n}" for n in range(20, 32))
DEFAULT_RANDSTAD = ("PV26", "PV27", "PV28")
_PROVINCE_CODE = re.compile(r"^PV\d\d$")


class ServiceNorms(BaseModel):
    """How many working days a case may wait in each state (``SPREIDING_NORMS__SCREENING=10``).

    A state without a norm (a final state, or ``suspended``: the clock stops) has no due date.
    The fields are the chart's waiting states by id; ``tests/statemachine/test_norms.py``
    fails when they drift apart. Read a norm through
    :func:`spreiding.statemachine.norms.service_norm`.
    """

    model_config = ConfigDict(extra="forbid")  # a misspelt state is an error, not a no-op

    intention: int = Field(20, ge=1, le=260, description="Intention: submit the plan, 4 weeks.")
    registered: int = Field(5, ge=1, le=260, description="Intake: start the screening.")
    screening: int = Field(10, ge=1, le=260, description="Screening: 2 weeks.")
    consultation: int = Field(30, ge=1, le=260, description="Joint consultation: 6 weeks.")
    advice_issued: int = Field(20, ge=1, le=260, description="Reaction to the advice: 4 weeks.")
    counter_proposal: int = Field(
        10, ge=1, le=260, description="BZK's answer to a counter-proposal: 2 weeks."
    )
    agreed: int = Field(20, ge=1, le=260, description="Decision after agreement: 4 weeks.")
    mr_escalation: int = Field(40, ge=1, le=260, description="Council of ministers: 8 weeks.")

    def for_state(self, state: str) -> int | None:
        """The norm in working days for ``state``, or None when its clock does not run."""
        return getattr(self, state, None) if state in type(self).model_fields else None


class SmtpSettings(BaseModel):
    """The SMTP server that sends reminders (``SPREIDING_SMTP__HOST=mail.example.nl`` ...)."""

    model_config = ConfigDict(extra="forbid")

    host: str = "localhost"
    port: int = Field(25, ge=1, le=65535)
    security: str = Field("none", pattern="^(none|starttls|ssl)$")
    user: str | None = None
    password: str | None = None
    sender: str = "spreiding@minbzk.nl"
    timeout: float = Field(10.0, gt=0)


_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class YearRhythm(BaseModel):
    """When the yearly flows run, as month-day ``MM-DD`` (``SPREIDING_RHYTHM__DELIVERY_END=05-15``).

    Ministries deliver their fte from ``delivery_start`` to ``delivery_end`` (inclusive): the
    inventory runs weekly in that window (loads, reminds), writes the report to parliament on
    ``report_day`` after it, and the projection runs on ``projection_day`` after the report.
    Read the schedules through :mod:`spreiding.flows.rhythm`.
    """

    model_config = ConfigDict(extra="forbid")

    delivery_start: str = Field("03-01", description="First day ministries deliver.")
    delivery_end: str = Field("04-30", description="Last day of the delivery window.")
    report_day: str = Field("05-01", description="The inventory writes the report to parliament.")
    projection_day: str = Field("05-15", description="The projection runs on the reported year.")

    @field_validator("delivery_start", "delivery_end", "report_day", "projection_day")
    @classmethod
    def _month_day(cls, value: str) -> str:
        if not _MONTH_DAY.match(value):
            raise ValueError(f"give a month and day as MM-DD, e.g. 04-30; got {value!r}")
        return value

    @model_validator(mode="after")
    def _in_order(self) -> YearRhythm:
        order = [self.delivery_start, self.delivery_end, self.report_day, self.projection_day]
        if order != sorted(order) or self.delivery_end == self.report_day:
            raise ValueError(
                "the dates must follow each other within the year: delivery_start <= "
                f"delivery_end < report_day <= projection_day; got {', '.join(order)}"
            )
        return self


class AlertSettings(BaseModel):
    """Mail to BZK's operator when a spreiding run fails or is not done in time
    (``SPREIDING_ALERTS__URL=http://spreiding.intern:8000`` ...).

    ``spreiding deploy`` and ``spreiding serve`` create Prefect automations that call the web
    service's hook (:mod:`spreiding.web.hooks`) at ``url`` with ``secret`` as bearer token;
    the hook queues a Dutch mail to ``operator_email`` (default ``SPREIDING_BZK_EMAIL``). The
    secret lives here and in a Prefect Webhook block (its headers are a secret field), never in
    a flow parameter or a log line. Without ``url`` and ``secret`` no automation is made and
    the hook answers 404.
    """

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(
        None,
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="Base URL at which the Prefect server reaches the spreiding web service.",
    )
    secret: SecretStr | None = Field(
        None, min_length=32, description="Shared secret of the hook (at least 32 characters)."
    )
    operator_email: str | None = Field(None, description="Who gets the alerts.")
    window_seconds: int | None = Field(
        None,
        ge=5,
        le=7 * 86400,
        description="How long a due run may take to finish; default per flow (hours).",
    )

    @property
    def enabled(self) -> bool:
        """Whether alerts are configured: a URL and a secret."""
        return bool(self.url and self.secret)


class AccountSettings(BaseModel):
    """Accounts and sign-in (``SPREIDING_ACCOUNTS__ARGON2_TIME_COST=1`` ...).

    The Argon2 costs default to None: the library's own defaults (RFC 9106's low-memory
    profile), meant for production. Tests set cheap ones, since each hash then costs
    milliseconds instead of tens of them.
    """

    model_config = ConfigDict(extra="forbid")

    argon2_time_cost: int | None = Field(None, ge=1, le=100)
    argon2_memory_cost: int | None = Field(None, ge=8, le=4_194_304, description="KiB.")
    argon2_parallelism: int | None = Field(None, ge=1, le=64)
    session_idle_minutes: int = Field(30, ge=1, le=24 * 60)
    session_absolute_hours: int = Field(12, ge=1, le=24 * 7)
    max_upload_mb: int = Field(20, ge=1, le=1024, description="Largest delivery upload.")

    @model_validator(mode="after")
    def _enough_memory(self) -> AccountSettings:
        # Argon2 needs 8 KiB per lane; the library's default parallelism is 4.
        lanes = self.argon2_parallelism or 4
        if self.argon2_memory_cost is not None and self.argon2_memory_cost < 8 * lanes:
            raise ValueError(f"argon2_memory_cost must be at least 8 x parallelism ({8 * lanes})")
        return self


class Settings(BaseSettings):
    """Everything that may differ between installations."""

    model_config = SettingsConfigDict(
        env_prefix="SPREIDING_", env_nested_delimiter="__", extra="ignore"
    )

    data_dir: Path = Field(Path("var"), description="Folder for the SQLite file and outputs.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default a SQLite file in data_dir."
    )
    randstad: Annotated[tuple[str, ...], NoDecode] = Field(
        DEFAULT_RANDSTAD, description="CBS codes of the provinces that count as Randstad."
    )

    norms: ServiceNorms = Field(default_factory=ServiceNorms)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    accounts: AccountSettings = Field(default_factory=AccountSettings)
    rhythm: YearRhythm = Field(default_factory=YearRhythm)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    bzk_email: str = Field("spreiding@minbzk.nl", description="Where BZK's own signals go.")
    inbox_dir: Path | None = Field(
        None, description="Folder where ministries' deliveries arrive; default data_dir/inbox."
    )
    spec_dir: Path = Field(
        Path("build/spec"),
        description="Folder where 'make spec' writes the living specification (index.html); "
        "the web service shows it at /specificatie.",
    )
    today: date | None = Field(
        None, description="Pretend today is this date (demos and tests); default the real date."
    )
    audit_key_file: Path | None = Field(
        None,
        description=(
            "Path of the file holding the audit trail's key (a path, never the key itself); "
            "default data_dir/audit.key, created by 'spreiding init' with mode 0600."
        ),
    )

    @field_validator("randstad", mode="before")
    @classmethod
    def _split_codes(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip().upper() for part in value.split(",") if part.strip()]
        return value

    @field_validator("randstad")
    @classmethod
    def _known_provinces(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one province code, e.g. PV26,PV27,PV28")
        for code in value:
            if not _PROVINCE_CODE.match(code) or code not in PROVINCE_CODES:
                raise ValueError(f"unknown province code {code!r}; use PV20..PV31")
        return tuple(sorted(set(value)))

    def current_date(self) -> date:
        """Today, or the date set with ``SPREIDING_TODAY``."""
        return self.today or date.today()

    @property
    def inbox(self) -> Path:
        """The inbox folder for deliveries of the annual inventory."""
        return self.inbox_dir or self.data_dir / "inbox"

    @property
    def audit_key_path(self) -> Path:
        """The file holding the audit key: the configured one or ``data_dir/audit.key``."""
        return self.audit_key_file or self.data_dir / "audit.key"

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL in use: the configured one or the default SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'spreiding.db').as_posix()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once per process; a bad value raises :class:`ConfigurationError`."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "SPREIDING_" + "__".join(str(p) for p in first["loc"]).upper()
        raise ConfigurationError(f"{name}: {first['msg']}") from None
