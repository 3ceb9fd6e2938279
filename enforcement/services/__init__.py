"""Every write with business rules. Views, admin actions, device handlers and tasks call these."""
