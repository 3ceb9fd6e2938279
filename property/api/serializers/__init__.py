"""Serializers of the property API, by subject (`bills`, `vehicles`, `gate`)."""
