from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "linli.payments"
    label = "payments"
    verbose_name = "支付"

    def ready(self):
        from linli.accounts import privacy
        from linli.celery import register_periodic
        from linli.payments import privacy as personal_data

        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
        register_periodic("payments.close_expired_intents", "linli.payments.tasks.close_expired_intents", 60.0)
        register_periodic("payments.payscore_catch_up", "linli.payments.tasks.payscore_catch_up", 300.0)
        register_periodic("payments.med_ins_refunds_sync", "linli.payments.tasks.med_ins_refunds_sync", 300.0)
