"""Save, load and export a run on the Playground page: an expander under the page's other two.

Below the one-screen layout (the play bar, data, network and live view fit 1280×720 without
it), built only while open, like "More settings". "Save run" downloads a run file
(``playground.run_file``), "Load run" takes one back: the new run replaces the session's in one
step, or a bad file leaves one sentence under the uploader and the run as it was. "Export code"
downloads the run as a NumPy script, a PyTorch script or a Jupyter notebook
(``playground.export_code``). "Download the replay (GIF)" renders the recorded history as an
animation (``ui.replay_panel``).

The files are made when a button is clicked (Streamlit calls ``data`` on another thread, after
the page was drawn), from the run this session holds then (``RunHolder``): training changes that
run in place, so a file saved after playing without a full rerun has the newest epochs. Each
file is read under the run's lock (``TrainingRun.lock``): while the live view trains, a Save
or an export has one epoch's weights, optimiser state and history, never a mix.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import streamlit as st

from playground.quote import code
from playground.run import TrainingRun
from playground.run_file import MAX_BYTES

from . import replay_panel, state

EXPANDER_KEY = "expander_run_file"
SAVE_KEY = "run_file_save"
LOAD_KEY = "run_file_load"
EXPORT_KEYS = {"numpy": "export_numpy", "pytorch": "export_pytorch", "notebook": "export_notebook"}
_HOLDER = "_run_file_holder"
_MESSAGE = "_run_file_message"  # ("error" | "success", sentence) after the last upload
# The browser refuses a bigger file with Streamlit's sentence ("File must be 10.0MB or
# smaller."), before sending it; playground.run_file checks the size again on the server.
UPLOAD_LIMIT_MB = MAX_BYTES // 1_000_000


@dataclass
class RunHolder:
    """The session's run for the download buttons (read on their thread when clicked)."""

    run: TrainingRun | None = None

    def run_file(self) -> bytes:
        from playground.run_file import save_run

        return save_run(self.run)

    def exported(self, kind: str) -> str:
        from playground import export_code

        with self.run.lock:  # one epoch's weights, while the live view may be training the run
            return export_code.EXPORTS[kind].write(self.run)


def holder() -> RunHolder:
    return st.session_state.setdefault(_HOLDER, RunHolder())


def load_uploaded() -> None:
    """The uploader's callback: the file's run replaces the session's, or one sentence."""
    from playground.run_file import RunFileError, load_run

    uploaded = st.session_state.get(LOAD_KEY)
    if uploaded is None:  # the file was removed from the uploader: so is its message
        st.session_state.pop(_MESSAGE, None)
        return
    try:
        run = load_run(uploaded.getvalue())
    except RunFileError as problem:  # a Markdown-safe sentence (playground.run_file)
        st.session_state[_MESSAGE] = ("error", str(problem))
        return
    if state.settings().broken_locks(run.settings):  # an assignment's locks hold for files too
        st.session_state[_MESSAGE] = (
            "error",
            f"{code(uploaded.name)} was not loaded: this assignment locks settings the file "
            "changes.",
        )
        return
    use_run(run)
    st.session_state[_MESSAGE] = (
        "success",
        f"Loaded {code(uploaded.name)}: epoch {run.epoch:,}. Press Play to continue training.",
    )


def use_run(run: TrainingRun) -> None:
    """Make a loaded run the session's: its settings (URL and widgets), its own data, paused."""
    from .controls import sync_widgets  # controls imports the page's other modules

    state.playback().playing = False
    st.session_state[state.SETTINGS] = run.settings
    if run.own is not None:
        st.session_state[state.OWN_DATA] = run.own
    state.set_run(run)
    holder().run = run
    state.write_url(run.settings)
    sync_widgets(run.settings)


def run_file_panel() -> None:
    """The expander: Save run, Load run, Export code (widgets built only while open)."""
    panel = st.expander(
        "Save, load or export this run: run file, NumPy, PyTorch, notebook, replay GIF",
        key=EXPANDER_KEY,
        on_change="rerun",
        icon=":material/save:",
    )
    with panel:
        if panel.open:
            _panel_widgets()


def _panel_widgets() -> None:
    run = state.run()
    files = holder()
    files.run = run
    name = f"neuroplay-{run.settings.dataset}-epoch-{run.epoch}"
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    row.download_button(
        "Save run",
        data=files.run_file,
        file_name=f"{name}.json",
        mime="application/json",
        key=SAVE_KEY,
        on_click="ignore",
        icon=":material/download:",
        type="primary",
        help="One JSON file with the settings, the data, the weights, the optimiser state and "
        "the history: Load run gives back this run exactly, and Play continues it.",
    )
    for kind, label, file_name, mime, icon in (
        ("numpy", "NumPy script", f"{name}.py", "text/x-python", ":material/code:"),
        ("pytorch", "PyTorch script", f"{name}-torch.py", "text/x-python", ":material/code:"),
        ("notebook", "Notebook", f"{name}.ipynb", "application/x-ipynb+json", ":material/book:"),
    ):
        row.download_button(
            label,
            data=functools.partial(files.exported, kind),
            file_name=file_name,
            mime=mime,
            key=EXPORT_KEYS[kind],
            on_click="ignore",
            icon=icon,
            help=EXPORT_HELP[kind],
        )
    st.file_uploader(
        "Load run",
        type=["json"],
        key=LOAD_KEY,
        on_change=load_uploaded,
        max_upload_size=UPLOAD_LIMIT_MB,
        help="A run file saved here (at most 10 MB): its settings, data, network and history "
        "replace this run.",
    )
    message = st.session_state.get(_MESSAGE)
    if message is not None:
        kind, sentence = message
        (st.error if kind == "error" else st.success)(sentence)
    replay_panel.replay_part(run)


EXPORT_HELP = {
    "numpy": "A Python script with the weights inside: predict(x1, x2), and run it to see the "
    "accuracy on this data (needs only NumPy).",
    "pytorch": "The network as a PyTorch nn.Sequential with these weights, and a short "
    "training loop that continues in PyTorch (needs torch).",
    "notebook": "A Jupyter notebook that rebuilds the data and the network with NeuroPlay's "
    "engine, trains it the same way and draws the decision boundary with Plotly.",
}
