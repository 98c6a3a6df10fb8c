from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "xinshao.dashboards"
    label = "dashboards"
    verbose_name = "数据看板"

    def ready(self):
        # Registers the dashboards' export kinds (exports/kinds.py) in every process.
        from xinshao.dashboards import exports, tasks  # noqa: F401  (the periodic count is called by name)
