"""Known failures of the machine around the chain, told in French with their cause and the next step.

Libraries report a full disk, a damaged warehouse or a file locked by another program in English,
often wrapped by Dagster or hidden behind a second error. The command line walks the whole chain
of causes and, when it recognises one, says what happened and what to do; the traceback still
goes to `erreurs.log`.
"""

from __future__ import annotations

import errno
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from pipelines.warehouse.backup import backup_path

DAMAGED = (
    "Could not read enough bytes",
    "not a valid DuckDB database file",
    "Corrupt database file",
)
_FILE = re.compile(r'file "([^"]+)"')
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>\S+) \(PID (?P<pid>\d+)\)")


def causes(error: BaseException) -> Iterator[BaseException]:
    """The error and everything behind it, however deep Dagster wrapped it."""
    pending, visited = [error], set()
    while pending:
        current = pending.pop()
        if id(current) in visited:
            continue
        visited.add(id(current))
        yield current
        pending += [
            e
            for e in (
                getattr(current, "user_exception", None),
                current.__cause__,
                current.__context__,
            )
            if e
        ]


# What DuckDB raises when Ctrl-C arrives while it runs a query (a bare RuntimeError).
DUCKDB_INTERRUPTED = "Query interrupted"


def interrupted(error: BaseException) -> bool:
    """Ctrl-C, which Dagster turns into its own error inside a run, and DuckDB into its own
    inside a query."""
    from dagster._core.errors import DagsterExecutionInterruptedError

    return any(
        isinstance(
            c, KeyboardInterrupt | DagsterExecutionInterruptedError | duckdb.InterruptException
        )
        or (isinstance(c, RuntimeError) and str(c) == DUCKDB_INTERRUPTED)
        for c in causes(error)
    )


def explain(error: BaseException, home: Path) -> str | None:
    """The French cause and next step of a known failure, or None."""
    for cause in causes(error):
        text = str(cause)
        if _disk_full(cause):
            return _disk_full_text(home)
        if isinstance(cause, duckdb.Error) and (holder := _HOLDER.search(text)):
            return (
                f"Le fichier {_file(text, home)} est ouvert par un autre programme "
                f"({holder['program']}, PID {holder['pid']}) : fermez-le, ou attendez la fin de "
                "l'exécution en cours, puis relancez. Rien n'a été modifié."
            )
        if isinstance(cause, duckdb.Error) and any(mark in text for mark in DAMAGED):
            return _damaged_text(Path(_file(text, home)), home)
    return None


def _disk_full(cause: BaseException) -> bool:
    if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
        return True
    return isinstance(cause, duckdb.Error) and "No space left on device" in str(cause)


def _file(text: str, home: Path) -> str:
    match = _FILE.search(text)
    return match.group(1) if match else str(home / "entrepot.duckdb")


def _disk_full_text(home: Path) -> str:
    free = f"{shutil.disk_usage(home if home.exists() else home.parent).free / 1e6:,.0f}"
    return (
        f"Disque plein : plus de place pour écrire dans {home} ({free.replace(',', ' ')} Mo"
        " libres). L'étape en cours a été annulée : l'entrepôt reste dans son dernier état"
        " cohérent et les publications déjà en place n'ont pas été modifiées. Libérez de la place"
        " (ou choisissez un autre dossier de sortie avec --home), puis relancez la même commande."
    )


def _damaged_text(damaged: Path, home: Path) -> str:
    warehouse = home / "entrepot.duckdb"
    backup = backup_path(warehouse)
    if damaged.resolve() != warehouse.resolve():
        return (
            f"Le fichier {damaged} est endommagé (tronqué ou illisible) et ne peut pas être lu ;"
            " rien n'a été modifié. Remplacez-le par une copie saine (sauvegardes du serveur)."
        )
    what = (
        f"L'entrepôt {damaged} est endommagé (fichier tronqué ou illisible) : la chaîne ne peut pas"
        " le lire, et les publications déjà en place n'ont pas été modifiées."
    )
    if backup.exists():
        return (
            f"{what} Reconstruisez-le depuis la boîte de dépôt : iae reconstruire --home {home}"
            " (avec --inbox si elle n'est pas dans ce dossier). Les chiffres publiés, les"
            f" révisions, l'historique des livraisons et l'empreinte de la clé sont repris de la"
            f" sauvegarde {backup}."
        )
    return (
        f"{what} Aucune sauvegarde n'existe : déplacez le fichier endommagé hors du dossier de"
        " sortie puis relancez iae run, qui reconstruira l'entrepôt depuis la boîte de dépôt"
        " (sans l'historique des chiffres déjà publiés)."
    )
