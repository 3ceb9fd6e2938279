from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """红色礼享家 and 在社区当家: party members and 党员报到, the 党建联盟 (units and the three lists:
    resources, needs, projects); votes and surveys."""

    name = "participation"
    label = "participation"
    verbose_name = "红色礼享家·在社区当家"

    def ready(self):
        from linli.accounts import privacy
        from linli.api import demo
        from linli.celery import register_periodic
        from linli.console import registry as console
        from participation import dashboard
        from participation import demo as demo_data
        from participation import privacy as personal_data

        demo.register(self.label, demo_data.seed)
        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
        console.register(self.label, widgets=[dashboard.party_and_alliance, dashboard.vote_turnout])

        # Votes past their closing time: the status follows (answers are refused from then on anyway).
        register_periodic("participation.close_due_votes", "participation.tasks.close_due_votes", 5 * 60.0)
