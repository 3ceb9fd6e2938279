"""The community staff's console for 红色礼享家 and 在社区当家: each subject registers its admins in its
own module (party members, the alliance; votes add theirs)."""

from participation import admin_alliance, admin_party  # noqa: F401  (they register their admins)
