def work_list_newest(*, user, limit):
    return []
