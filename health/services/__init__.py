"""Every write of the health app, one module per area (consultations, appointments, vitals, …)."""
