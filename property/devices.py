"""Gates and plate cameras through the device gateway (registered from PropertyConfig.ready()).

* A gate (`gate`) asks synchronously whether a visitor's code opens it: `POST
  /api/v1/devices/gate/verify/` (property/api/gate.py), signed like every device request. The event
  API answers only "received", and a turnstile cannot wait for a command poll.
* A plate camera (`plate_camera`) posts `plate.read` events: a car that may come in gets an
  `open_barrier` command (expiring after a minute: a barrier opened late for a car that has left
  is worse than not at all); any other plate is only logged for staff.
"""

from rest_framework import serializers

from linli.devices.models import Device
from linli.devices.registry import on_event
from property.services import gate as services


class PlateReadSchema(serializers.Serializer):
    plate = serializers.CharField(max_length=20, help_text="识别到的车牌号，如 浙H12345")
    confidence = serializers.FloatField(min_value=0, max_value=1, required=False, help_text="识别置信度 0–1")


@on_event("plate.read", kinds=[Device.Kind.PLATE_CAMERA], schema=PlateReadSchema)
def plate_read(device: Device, event) -> None:
    services.plate_read_record(device=device, event=event, plate=event.payload["plate"])
