"""Views of the projects app, one module per area: home pages, projects, forums, imports."""

from projects.views.home import glossary, lead_home

__all__ = ["glossary", "lead_home"]
