"""A talk's length, as people read it ("28 min", "1 h 05 min") and as schema.org writes it
("PT28M12S")."""


def length_text(length):
    """``length`` (a timedelta) in whole minutes, at least one; "" when unknown."""
    if length is None:
        return ""
    minutes = max(1, round(length.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02} min"


def iso_duration(length):
    """``length`` as an ISO 8601 duration for JSON-LD; None when unknown."""
    if length is None:
        return None
    seconds = round(length.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else ""]
    parts.append(f"{seconds}S" if seconds or not any(parts) else "")
    return "PT" + "".join(parts)
