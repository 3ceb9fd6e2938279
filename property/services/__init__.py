"""Writes of the property app, by subject: `fees` (bill runs, parking permits issued with their
bills), `bills` (payments online and at the counter, waivers, adjustments, refunds, arrears
reminders), `vehicles` (registration and staff confirmation), `gate` (visitor passes, the gate's
verify, walk-ins, plate reads)."""
