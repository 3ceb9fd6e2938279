"""一键呼叫 through the device gateway: an SOS button's `sos` event and a fall detector's `fall` event
open (or join) the alarm of the elder the device is bound to (linli/devices/registry.py).

The handler runs inside the gateway's transaction: a device that is not bound to an elder gets 409
`device_not_bound` and nothing is stored, so it may post again once staff have bound it. A re-posted
`event_id` never reaches the handler twice (the gateway's guarantee), so a retry is not a second press.
"""

from rest_framework import serializers

from care.models import Alarm, CareDevice
from care.services.alarms import DeviceNotBound, alarm_raise
from linli.devices.models import Device, DeviceEvent
from linli.devices.registry import on_event


class AlarmEventSerializer(serializers.Serializer):
    battery_pct = serializers.IntegerField(min_value=0, max_value=100, required=False)


def _binding(device: Device) -> CareDevice:
    binding = CareDevice.objects.select_related("device").filter(device=device, is_active=True).first()
    if binding is None:
        raise DeviceNotBound()
    return binding


@on_event("sos", kinds=[Device.Kind.SOS_BUTTON, Device.Kind.FALL_DETECTOR], schema=AlarmEventSerializer)
def sos_pressed(device: Device, event: DeviceEvent) -> None:
    alarm_raise(binding=_binding(device), kind=Alarm.Kind.SOS)  # server time: device clocks drift


@on_event("fall", kinds=[Device.Kind.FALL_DETECTOR], schema=AlarmEventSerializer)
def fall_detected(device: Device, event: DeviceEvent) -> None:
    alarm_raise(binding=_binding(device), kind=Alarm.Kind.FALL)  # server time: device clocks drift
