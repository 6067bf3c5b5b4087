"""Run settings: where things are and the publication thresholds, from the environment.

Read once (`Settings.from_env`, by the command or by the Dagster code location) and passed down:
the Dagster assets, checks and sensors receive this very object as their `settings` resource.
Every generated file lives under one output folder (`IAE_HOME`, default `var/`): the warehouse,
the Dagster home and the published outputs. The hashing key never lives there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipelines.ingest.pseudonymise import KEY_FILE_ENV, load_key
from pipelines.paths import PROJECT_ROOT


@dataclass(frozen=True)
class Thresholds:
    """Statistical confidentiality (docs/publication.md): counts 1..min_count-1 shown as `< min_count`."""

    min_count: int = 5
    min_denominator: int = 10


@dataclass(frozen=True)
class Safeguards:
    """What keeps a file that should not be published as it is out of the warehouse.

    A file is taken only once its size and modification time held still for `settle_seconds`
    (senders copying over a slow share); a file above `max_file_megabytes` or `max_file_rows` is
    refused; a correction whose rows fall by `held_drop_percent` % or more against the delivery
    in force waits for the steward's confirmation.
    """

    settle_seconds: float = 5.0
    max_file_megabytes: float = 50.0
    max_file_rows: int = 200_000
    held_drop_percent: float = 50.0

    @classmethod
    def from_env(cls) -> Safeguards:
        return cls(
            settle_seconds=float(os.environ.get("IAE_DELAI_STABILITE_S", cls.settle_seconds)),
            max_file_megabytes=float(
                os.environ.get("IAE_TAILLE_MAX_FICHIER_MO", cls.max_file_megabytes)
            ),
            max_file_rows=int(os.environ.get("IAE_LIGNES_MAX_FICHIER", cls.max_file_rows)),
            held_drop_percent=float(
                os.environ.get("IAE_BAISSE_A_CONFIRMER_PCT", cls.held_drop_percent)
            ),
        )


@dataclass(frozen=True)
class Settings:
    home: Path
    inbox: Path
    key_file: Path | None = None
    due_months_after: int = 2
    due_day: int = 15
    retention_months: int = 36
    annual_full_time_hours: float = 1350.0
    thresholds: Thresholds = field(default_factory=Thresholds)
    safeguards: Safeguards = field(default_factory=Safeguards)
    today: date = field(default_factory=date.today)
    # How to reach the data protection officer, printed in the processing register entry.
    dpo_contact: str | None = None

    @property
    def warehouse(self) -> Path:
        return self.home / "entrepot.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def outputs(self) -> Path:
        return self.home / "publications"

    @property
    def analysts(self) -> Path:
        """The analysts' copy's folder: beside the publications, never in them (a publications
        folder sent whole must not carry exact figures)."""
        return self.home / "analystes"

    def key(self) -> bytes:
        """The hashing key (`IAE_CLE`, or the key file), refused inside the output folder."""
        return load_key(self.key_file, output_folder=self.home)

    def folders_environment(self) -> dict[str, str]:
        """The variables that give another process (the Dagster UI) the same folders and key file."""
        variables = {"IAE_HOME": str(self.home), "IAE_INBOX": str(self.inbox)}
        if self.key_file is not None:
            variables[KEY_FILE_ENV] = str(self.key_file)
        return variables

    @classmethod
    def from_env(cls, *, home: Path | None = None, inbox: Path | None = None) -> Settings:
        """The settings of the environment's `IAE_*` variables; `home` and `inbox` (command-line
        options) take precedence over theirs."""
        home = (home or Path(os.environ.get("IAE_HOME", PROJECT_ROOT / "var"))).resolve()
        inbox = (inbox or Path(os.environ.get("IAE_INBOX", home / "boite_de_depot"))).resolve()
        key_file = os.environ.get(KEY_FILE_ENV)
        today = os.environ.get("IAE_DATE_DU_JOUR")
        return cls(
            home=home,
            inbox=inbox,
            key_file=Path(key_file).expanduser().resolve() if key_file else None,
            due_months_after=int(os.environ.get("IAE_ECHEANCE_MOIS", 2)),
            due_day=int(os.environ.get("IAE_ECHEANCE_JOUR", 15)),
            retention_months=int(os.environ.get("IAE_CONSERVATION_MOIS", 36)),
            thresholds=Thresholds(
                min_count=int(os.environ.get("IAE_SEUIL_EFFECTIF", 5)),
                min_denominator=int(os.environ.get("IAE_SEUIL_DENOMINATEUR", 10)),
            ),
            safeguards=Safeguards.from_env(),
            today=date.fromisoformat(today) if today else date.today(),
            dpo_contact=os.environ.get("IAE_DPO_CONTACT") or None,
        )
