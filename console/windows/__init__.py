"""Assembled windows: one workspace per desk role."""

from console.windows.map_feed import default_map
from console.windows.specs import SPECS, WorkspaceSpec, spec_for
from console.windows.workspace import Workspace, open_settings

__all__ = ["SPECS", "Workspace", "WorkspaceSpec", "default_map", "open_settings", "spec_for"]
