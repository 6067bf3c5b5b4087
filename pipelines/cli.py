"""La commande `iae` : générer une boîte de dépôt de démonstration, exécuter la chaîne, contrôler un fichier."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from pipelines.errors import IaeError
from pipelines.faults import causes, explain, interrupted
from pipelines.ingest.inbox import is_delivery_candidate
from pipelines.ingest.pseudonymise import KEY_ENV, create_key_file
from pipelines.lock import exclusive
from pipelines.paths import PROJECT_ROOT
from pipelines.settings import Settings
from pipelines.warehouse.backup import check_readable

DEFAULT_HOME = PROJECT_ROOT / "var"
DEMO_KEY = (
    Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    / "iae-detention"
    / "cle-demo.key"
)

log = logging.getLogger("iae")


def _settings(home: Path, inbox: Path | None) -> Settings:
    """The environment's settings, with the folders given on the command line."""
    return Settings.from_env(home=home, inbox=inbox)


def cmd_generate(args: argparse.Namespace) -> None:
    from generator import generate_inbox

    summary = generate_inbox(args.inbox, seed=args.graine, scale=args.echelle)
    print(
        f"Boîte de dépôt générée : {summary.inbox} ({summary.files} fichiers, {summary.rows} lignes, "
        f"{summary.sites} sites, {summary.defects} défauts injectés)\nManifeste des défauts : {summary.manifest_path}"
    )


def _with_inbox(args: argparse.Namespace) -> Settings:
    settings = _settings(args.home, args.inbox)
    if not settings.inbox.is_dir():
        raise IaeError(f"Boîte de dépôt introuvable : {settings.inbox}. Indiquez-la avec --inbox.")
    if settings.home.is_relative_to(settings.inbox):
        raise IaeError(
            f"Le dossier de sortie {settings.home} est dans la boîte de dépôt {settings.inbox} : "
            "l'entrepôt et les publications y seraient relus comme des envois des sites, qui "
            "partagent cette boîte. Choisissez un dossier de sortie hors de la boîte (--home)."
        )
    return settings


def cmd_run(args: argparse.Namespace) -> None:
    _run_exclusively(_with_inbox(args))


def _run_exclusively(settings: Settings) -> None:
    with exclusive(settings.home, "run"):
        check_readable(settings.warehouse)
        _run(settings)


def _run(settings: Settings) -> None:
    """The chain, the files it set aside (named, with their reason), then the publications."""
    from pipelines.runner import run_chain, run_publications
    from pipelines.warehouse.quality import set_aside_in_run
    from reports.packs.publish import QUALITY_PAGE

    report = run_chain(settings)
    files, privacy = set_aside_in_run(settings.warehouse, report.run_id)
    _print_set_aside(files, settings.outputs / QUALITY_PAGE)
    _print_privacy_rejections(privacy)
    run_publications(settings)
    print(
        f"Chaîne terminée (run {report.run_id}) : {report.sites} site(s).\n"
        f"Entrepôt : {report.warehouse}\nPublications : {report.outputs}"
    )


def _print_privacy_rejections(files: list[dict]) -> None:
    """Follow-up lines rejected as privacy violations: never stored, named on the site's page."""
    if files:
        print(
            f"Lignes de suivi rejetées pour atteinte à la vie privée, non conservées ({len(files)} fichier(s)) :"
        )
    for f in files:
        print(
            f"  - {f['fichier']} : {f['lignes']} ligne(s) ; détail sur la page de qualité du site."
        )


def _print_set_aside(files: list[dict], quality_page: Path) -> None:
    """This run's refused and held files, named; those of earlier runs still waiting, counted."""
    for status, title in (
        ("rejetee", "Fichiers refusés"),
        ("a_confirmer", "Corrections à confirmer"),
    ):
        listed = [f for f in files if f["statut"] == status and f["cette_execution"]]
        if listed:
            print(f"{title} ({len(listed)}) :")
        for f in listed:
            print(f"  - {f['fichier']} : {f['motif_rejet']} À faire : {f['correction_rejet']}")
    earlier = sum(not f["cette_execution"] for f in files)
    if earlier:
        print(
            f"{earlier} fichier(s) écarté(s) lors d'exécutions précédentes attendent encore un "
            f"renvoi ou une confirmation du site : voir {quality_page}."
        )


def cmd_check(args: argparse.Namespace) -> int:
    from pipelines.intake.check_files import check_files, render

    missing = [str(p) for p in args.fichiers if not p.exists()]
    if missing:
        raise IaeError(f"Fichier introuvable : {', '.join(missing)}")
    files = [
        f
        for p in args.fichiers
        for f in (
            [f for f in sorted(p.iterdir()) if f.is_file() and is_delivery_candidate(f, p)]
            if p.is_dir()
            else [p]
        )
    ]
    if not files:
        raise IaeError(f"Aucun fichier à vérifier dans : {', '.join(map(str, args.fichiers))}")
    settings = Settings.from_env()
    reports = check_files(
        files,
        settings.today,
        args.referentiel,
        replace(settings.safeguards, settle_seconds=0.0),
    )
    for report in reports:
        print("\n".join(render(report)))
    failing = [r.entry.fichier for r in reports if not r.clean]
    doubtful = [r.entry.fichier for r in reports if r.follow_up_in_doubt]
    if doubtful:
        print(
            f"\n{len(doubtful)} fichier(s) de suivi à vérifier avant l'envoi (personnes sans "
            f"mesure de suivi dans les fichiers vérifiés) : {', '.join(doubtful)}."
        )
    if failing:
        print(f"\n{len(failing)} fichier(s) à corriger avant l'envoi : {', '.join(failing)}.")
        return 1
    print(
        "\nAucune erreur : les fichiers peuvent être envoyés"
        + (", une fois ces suivis vérifiés." if doubtful else ".")
    )
    return 0


def cmd_purge(args: argparse.Namespace) -> None:
    from pipelines.runner import run_purge
    from pipelines.warehouse.retention import retention_limit

    settings = _settings(args.home, None)
    if not settings.warehouse.exists():
        raise IaeError(f"Aucun entrepôt dans {settings.home} : rien à purger.")
    with exclusive(settings.home, "purger"):
        rows = run_purge(settings, simulate=args.simulation)
    limit = retention_limit(settings.today, settings.retention_months)
    verb = "seraient supprimées" if args.simulation else "supprimées"
    print(
        f"Conservation {settings.retention_months} mois : lignes terminées avant le {limit:%d/%m/%Y} {verb}."
    )
    for table, count in rows.items():
        print(f"  {table} : {count}")


def cmd_rebuild(args: argparse.Namespace) -> None:
    from pipelines.intake.rebuild import rebuild_warehouse

    settings = _with_inbox(args)
    with exclusive(settings.home, "reconstruire"):
        report = rebuild_warehouse(
            settings, settings.key(), f"reconstruction-{datetime.now():%Y%m%dT%H%M%S}"
        )
        restored = ", ".join(f"{table} {rows}" for table, rows in report.restored.items())
        print(
            f"Entrepôt reconstruit : {report.deliveries} livraison(s) en vigueur relue(s) depuis "
            f"la boîte de dépôt ; repris de la sauvegarde (lignes) : {restored}."
        )
        if report.damaged_copy:
            print(f"Fichier endommagé conservé à part : {report.damaged_copy}")
        if report.lost:
            print(
                f"{len(report.lost)} livraison(s) en vigueur absente(s) de la boîte de dépôt "
                f"(chiffres manquants jusqu'à un nouvel envoi) : {', '.join(report.lost)}"
            )
        _run(settings)


def cmd_ui(args: argparse.Namespace) -> None:
    from pipelines.dagster_home import instance_for

    settings = _with_demo_key(_settings(args.home, args.inbox), create=False)
    instance_for(settings)
    dagster = Path(sys.executable).with_name("dagster")
    os.execve(
        dagster,
        [str(dagster), "dev", "-m", "pipelines.definitions"],
        {
            **os.environ,
            **settings.folders_environment(),
            "DAGSTER_HOME": str(settings.dagster_home),
        },
    )


def _with_demo_key(settings: Settings, *, create: bool) -> Settings:
    """Without a configured key, the local demo key (created on demand by `iae demo`)."""
    if os.environ.get(KEY_ENV) or settings.key_file is not None:
        return settings
    if create and not DEMO_KEY.exists():
        create_key_file(DEMO_KEY)
        print(f"Clé de démonstration créée : {DEMO_KEY}")
    return replace(settings, key_file=DEMO_KEY) if DEMO_KEY.exists() else settings


def cmd_demo(args: argparse.Namespace) -> None:
    inbox = args.home / "boite_de_depot"
    if not inbox.is_dir():
        cmd_generate(argparse.Namespace(inbox=inbox, graine=2016, echelle=1.0))
    _run_exclusively(_with_demo_key(_settings(args.home, inbox), create=True))


_ARGPARSE_FR = {
    "the following arguments are required": "arguments obligatoires manquants",
    "unrecognized arguments": "arguments non reconnus",
    "invalid choice": "choix invalide",
    "choose from": "possibles :",
    "expected one argument": "une valeur est attendue",
    "invalid int value": "entier invalide",
    "invalid float value": "nombre invalide",
}


class _FrenchHelp(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(
            usage, actions, groups, prefix="utilisation : " if prefix is None else prefix
        )


def _french(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """argparse speaks English: translate the titles and the help option."""
    parser.formatter_class = _FrenchHelp
    parser._positionals.title = "arguments"
    parser._optionals.title = "options"
    parser.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    return parser


class _FrenchParser(argparse.ArgumentParser):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(add_help=False, **kwargs)  # type: ignore[arg-type]
        _french(self)

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, french in _ARGPARSE_FR.items():
            message = message.replace(english, french)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


def _home(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument("--home", type=Path, default=DEFAULT_HOME, help=f"{what} (défaut : var/)")


def parser() -> argparse.ArgumentParser:
    main = _FrenchParser(
        prog="iae",
        description="Pilotage de l'IAE en détention : ingestion des exports des sites, contrôle, indicateurs, publications.",
    )
    main.add_argument("-v", "--verbeux", action="store_true", help="afficher le détail des étapes")
    commands = main.add_subparsers(
        dest="commande",
        required=True,
        metavar="COMMANDE",
        parser_class=_FrenchParser,
        title="commandes",
    )

    gen = commands.add_parser(
        "generate", aliases=["generer"], help="générer une boîte de dépôt nationale synthétique"
    )
    gen.add_argument("--inbox", type=Path, required=True, help="dossier à remplir (créé au besoin)")
    gen.add_argument(
        "--graine", type=int, default=2016, help="graine du tirage aléatoire (défaut : 2016)"
    )
    gen.add_argument(
        "--echelle", type=float, default=1.0, help="multiplicateur du volume national (défaut : 1)"
    )
    gen.set_defaults(func=cmd_generate)

    run = commands.add_parser(
        "run", aliases=["executer"], help="exécuter toute la chaîne sur une boîte de dépôt"
    )
    run.add_argument("--inbox", type=Path, help="boîte de dépôt (défaut : <home>/boite_de_depot)")
    _home(run, "dossier de sortie : entrepôt, Dagster, publications")
    run.set_defaults(func=cmd_run)

    check = commands.add_parser(
        "check",
        aliases=["verifier"],
        help="vérifier des fichiers avant envoi (rien n'est conservé)",
    )
    check.add_argument(
        "fichiers",
        type=Path,
        nargs="+",
        metavar="FICHIER",
        help="exports à vérifier, ou un dossier qui les contient (joindre le parcours avec le suivi)",
    )
    check.add_argument(
        "--referentiel",
        type=Path,
        help="dossier contenant un sites.csv à utiliser comme référentiel des sites",
    )
    check.set_defaults(func=cmd_check)

    purge = commands.add_parser(
        "purger",
        aliases=["purge"],
        help="supprimer les données personnelles au-delà de la durée de conservation",
    )
    _home(purge, "dossier de sortie contenant l'entrepôt")
    purge.add_argument(
        "--simulation",
        action="store_true",
        help="lister ce qui serait supprimé, sans rien supprimer",
    )
    purge.set_defaults(func=cmd_purge)

    rebuild = commands.add_parser(
        "reconstruire",
        aliases=["rebuild"],
        help="reconstruire un entrepôt endommagé depuis la boîte de dépôt et la sauvegarde",
    )
    rebuild.add_argument(
        "--inbox", type=Path, help="boîte de dépôt (défaut : <home>/boite_de_depot)"
    )
    _home(rebuild, "dossier de sortie contenant l'entrepôt endommagé et sa sauvegarde")
    rebuild.set_defaults(func=cmd_rebuild)

    ui = commands.add_parser(
        "ui", help="ouvrir l'interface Dagster sur l'historique du dossier de sortie"
    )
    ui.add_argument(
        "--inbox", type=Path, help="boîte de dépôt surveillée (défaut : <home>/boite_de_depot)"
    )
    _home(ui, "dossier de sortie")
    ui.set_defaults(func=cmd_ui)

    demo = commands.add_parser(
        "demo", help="générer la boîte de démonstration (si absente) puis exécuter la chaîne"
    )
    _home(demo, "dossier de sortie")
    demo.set_defaults(func=cmd_demo)
    return main


def _report_crash(error: BaseException, home: Path) -> str:
    """Append the traceback to erreurs.log; with a full disk, say it could not be written."""
    journal = home / "erreurs.log"
    try:
        home.mkdir(parents=True, exist_ok=True)
        with journal.open("a", encoding="utf-8") as handle:
            handle.write(
                f"--- {datetime.now().isoformat()}\n{''.join(traceback.format_exception(error))}\n"
            )
    except OSError as failure:
        return f"non écrit dans {journal} ({failure.strerror})"
    return str(journal)


def _shown(record: logging.LogRecord) -> bool:
    """The project's own lines, and other libraries' warnings, except an interruption a library
    logs on its way out (SQLAlchemy closing Dagster's storage on Ctrl-C, with an English
    traceback): the command reports the interruption itself, once, in French."""
    if record.name.split(".")[0] == log.name:
        return True
    error = record.exc_info[1] if record.exc_info else None
    return record.levelno >= logging.WARNING and (error is None or isinstance(error, Exception))


def _configure_logging(verbose: bool) -> None:
    """The project's own lines (logger « iae ») on stderr, its detail with -v; other libraries
    only for their warnings, never their English progress or debug lines."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_iae", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(_shown)
    handler._iae = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    log.setLevel(logging.DEBUG if verbose else logging.INFO)


INTERRUPTED = (
    "Interrompu (Ctrl-C). Rien n'a été publié à moitié : les publications précédentes restent en "
    "place. Relancez la même commande pour reprendre."
)


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """A Ctrl-C that lands in a garbage-collection callback is not lost (the run notices every
    signal afterwards, pipelines/runner.py), so Python's English traceback of it is not shown,
    whether it arrives as Python's KeyboardInterrupt or as Dagster's own error inside a run."""
    if unraisable.exc_value is None or not interrupted(unraisable.exc_value):
        sys.__unraisablehook__(unraisable)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _configure_logging(args.verbeux)
    sys.unraisablehook = _unraisable
    handler: Callable[[argparse.Namespace], int | None] = args.func
    home = Path(getattr(args, "home", DEFAULT_HOME)).resolve()
    try:
        status = handler(args)
    except BaseException as error:  # Dagster turns Ctrl-C inside a run into a BaseException
        if interrupted(error):
            print(INTERRUPTED, file=sys.stderr)
            return 130
        if not isinstance(error, Exception):
            raise
        user = next((c for c in causes(error) if isinstance(c, IaeError)), None)
        if user is not None:
            print(f"Erreur : {user}", file=sys.stderr)
            return 2
        known = explain(error, home)
        journal = _report_crash(error, home)
        if known is not None:
            print(f"Erreur : {known}\nDétail technique : {journal}", file=sys.stderr)
            return 2
        print(
            f"Échec inattendu : {error.__class__.__name__}: {error}\nDétail technique : {journal}",
            file=sys.stderr,
        )
        return 1
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
