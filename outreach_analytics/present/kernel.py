"""The report's kernel: this very Python, started at once and warmed up while the log is read.

Starting a kernel and importing pandas, plotly and the analysis modules in it takes seconds,
and so does reading the log in the report's own process. A :class:`Kernel` starts the kernel
from a thread of its own as soon as it is made and runs a warm-up there (the imports the
notebook will need), so the two happen at the same time; :meth:`Kernel.execute` then runs a
notebook in it with nbclient, and the kernel is shut down while the caller exports the result.

This module imports no pandas: the kernel is started before the caller imports it.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
>>> with Kernel("import json") as kernel:
...     out = kernel.execute(nb).result()
>>> out.cells[0].outputs[0]["text"]
'42\\n'
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
import threading
from concurrent.futures import Future
from typing import Any

__all__ = ["Kernel", "kernel_manager_class"]


def kernel_manager_class():
    """A kernel manager whose ``python3`` kernel is this very interpreter.

    The kernelspec found on disk (``share/jupyter/kernels/python3``, or a user's own) may
    name another Python; the report's kernel must import this environment's packages.
    On POSIX the kernel talks over local (IPC) sockets in a private temporary directory
    rather than over TCP ports.
    """
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from traitlets import default

    class _ThisPythonSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            spec = get_kernel_dict()
            spec["argv"][0] = sys.executable
            return KernelSpec(resource_dir=RESOURCES, **spec)

    class _ThisPythonKernelManager(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _default_specs(self):
            return _ThisPythonSpecs(data_dir=self.data_dir)

        @default("transport")
        def _default_transport(self):  # local sockets: nothing listens on a TCP port
            return "ipc" if os.name == "posix" else "tcp"

        @default("ip")
        def _default_ip(self):
            if self.transport != "ipc":
                return "127.0.0.1"
            # a private directory per kernel: jupyter_client's default ("kernel-ipc" in the
            # working directory) lets two kernels started at once pick the same sockets
            self._ipc_dir = tempfile.mkdtemp(prefix="outreach-kernel-")
            return os.path.join(self._ipc_dir, "kernel")

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart and getattr(self, "_ipc_dir", None):
                shutil.rmtree(self._ipc_dir, ignore_errors=True)

    return _ThisPythonKernelManager


class _Cancelled(Exception):
    """The caller closed the kernel without handing it a notebook."""


class Kernel:
    """A kernel of this Python, started in a thread of its own as soon as it is made.

    Parameters
    ----------
    warm_up : str, optional
        Code the kernel runs first, silently, while the caller prepares the notebook
        (typically the notebook's imports). An error in it is ignored: the notebook's own
        cells meet it again and report it.
    startup_timeout : float, default 120
        Seconds to wait for the kernel to answer.

    Use it as a context manager: leaving the block waits for the kernel to be shut down (it
    is, as soon as the notebook ran or the block is left without handing it one, e.g.
    because the log could not be read).
    """

    def __init__(self, warm_up: str = "", *, startup_timeout: float = 120) -> None:
        # everything the thread needs is imported here, in the calling thread: importing
        # jupyter_client's modules from two threads at once can leave one half-initialized
        import zmq.asyncio  # noqa: F401
        from jupyter_client.asynchronous import AsyncKernelClient  # noqa: F401
        from jupyter_client.provisioning import local_provisioner  # noqa: F401

        self._manager_class = kernel_manager_class()
        self._warm_up = warm_up
        self._startup_timeout = startup_timeout
        self._job: Future = Future()  # (notebook, options), handed in by execute()
        self._result: Future = Future()  # the executed notebook
        self._task: asyncio.Task | None = None  # _run, in the thread's event loop
        self._thread = threading.Thread(target=self._main, name="report-kernel", daemon=True)
        self._thread.start()

    def execute(self, nb, *, progress: bool = False, **options: Any) -> Future:
        """Run ``nb`` (a v4 notebook node, changed in place) in the kernel.

        ``options`` go to :class:`nbclient.NotebookClient`. Returns a future of the executed
        notebook; a failing cell raises :class:`nbclient.exceptions.CellExecutionError`
        from its ``result()``.
        """
        import nbclient  # noqa: F401  (imported here, not in the kernel's thread)

        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(
                total=sum(c.cell_type == "code" for c in nb.cells),
                desc="Executing",
                unit="cell",
                file=sys.stderr,
            )
            options["on_cell_complete"] = lambda **_: bar.update()
            self._result.add_done_callback(lambda _: bar.close())
        self._job.set_result((nb, options))
        return self._result

    def close(self, *, abort: bool = False) -> None:
        """Wait for the kernel to be shut down: at once if it was never handed a notebook,
        or with ``abort`` (the notebook is stopped where it is), else once it ran."""
        if not self._job.done():
            self._job.set_exception(_Cancelled())
        elif abort and self._task is not None and not self._task.done():
            with contextlib.suppress(RuntimeError):  # its loop closed meanwhile: it is done
                self._task.get_loop().call_soon_threadsafe(self._task.cancel)
        self._thread.join()

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.close(abort=exc_type is not None)

    # ------------------------------------------------------------------ the kernel's thread

    def _main(self) -> None:
        async def main() -> None:
            self._task = asyncio.current_task()
            await self._run()

        try:
            asyncio.run(main())
        except BaseException as err:  # noqa: BLE001  (handed to the caller)
            if not self._result.done():
                self._result.set_exception(err)

    async def _run(self) -> None:
        km = self._manager_class(kernel_name="python3")
        kc = None
        try:
            # as nbclient starts it: an in-memory history, no sqlite file
            await km.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
            kc = km.client()
            kc.start_channels()
            await kc.wait_for_ready(timeout=self._startup_timeout)
            if self._warm_up:
                # no need to wait for it: the notebook's cells queue behind it
                kc.execute(self._warm_up, silent=True, store_history=False, stop_on_error=False)
            try:
                nb, options = await asyncio.wrap_future(self._job)
            except _Cancelled:
                return
            from nbclient import NotebookClient

            client = NotebookClient(nb, km=km, **options)
            client.kc = kc  # the started client: nbclient neither starts nor stops it
            await client.async_execute()
            self._result.set_result(nb)  # the caller exports while the kernel shuts down
        finally:
            if kc is not None:
                kc.stop_channels()
            if km.has_kernel:
                # killed: a graceful shutdown takes longer than the export it overlaps
                await km.shutdown_kernel(now=True)
