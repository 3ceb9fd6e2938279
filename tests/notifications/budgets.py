from linli.notifications.services import notify


def give_notifications(user):
    notify([user], "test.kind", "您的报修已受理", "维修师傅将于明天上午上门")
    return ["维修师傅将于明天上午上门"]  # the inbox is deleted with the account


PRIVACY_DATA = {"notifications": give_notifications}
EXPORT_QUERIES = {"notifications": 1}  # the inbox
