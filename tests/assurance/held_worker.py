"""The cocomm Celery app for the worker-kill test, with the pack render held at a known point.

Started as `celery -A tests.assurance.held_worker worker` in a subprocess. When a pack's render
begins (its row locked, its status "generating" committed) the worker writes the file named by
PACK_HOLD_MARKER and sleeps, so the test knows the moment to kill it. Test code only: the product's
render has no such hook.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from celery.signals import task_prerun

from cocomm.celery import app

__all__ = ["app"]


@task_prerun.connect
def hold_the_render(**_: Any) -> None:
    # Patched when the first task starts, in the process that runs it: Django is set up by then.
    from assurance import services

    if getattr(services.pack_render, "held", False):
        return
    render = services.pack_render

    def held(pack: Any) -> Any:
        Path(os.environ["PACK_HOLD_MARKER"]).write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("PACK_HOLD_SECONDS", "600")))
        return render(pack)

    held.held = True  # type: ignore[attr-defined]
    services.pack_render = held  # type: ignore[assignment]
