"""The processing register entry (registre des traitements, RGPD art. 30) for the data protection officer.

Generated from the contracts and the settings, so it says what the pipeline really keeps. It
names files, never the folders of the machine that built it; the data protection officer's
contact is a setting (IAE_DPO_CONTACT).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.contracts import EXPORT_TYPES, Contract, load_contract
from pipelines.settings import Settings
from reports.environment import template_environment
from reports.packs.render import ASSETS, STYLESHEETS, copy_assets
from reports.publishing import publish_folder, write_run
from reports.quality import RunInfo


@dataclass(frozen=True)
class StoredExport:
    contract: Contract

    @property
    def pseudonymised(self) -> list[str]:
        return self.contract.pseudonymised_columns

    @property
    def kept(self) -> list[tuple[str, str]]:
        return [(c.name, c.description) for c in self.contract.columns if not c.pseudonymised]


def render_register(settings: Settings, run: RunInfo, target: Path) -> Path:
    page = (
        template_environment()
        .get_template("registre/registre.html.j2")
        .render(
            mode="web",
            assets=ASSETS,
            feuilles=STYLESHEETS,
            run=run,
            exports=[StoredExport(load_contract(t)) for t in EXPORT_TYPES],
            conservation_mois=settings.retention_months,
            entrepot=settings.warehouse.name,
            publications=settings.outputs.name,
            seuils=settings.thresholds,
            contact_dpd=settings.dpo_contact,
        )
    )
    with publish_folder(target) as out:
        (out / "index.html").write_text(page, encoding="utf-8")
        copy_assets(out / ASSETS)
        write_run(out, run.run_id, run.generated_at)
    return target / "index.html"
