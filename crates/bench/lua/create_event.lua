-- POST the event form with three changes (-1, +2, -1) as the logged-in manager, with
-- the session's CSRF token and a fresh idempotency key per request.
-- Arguments: cookie token mission entry1 entry2 entry3 key-prefix origin
local path, headers, fixed, prefix
local counter = 0

function init(args)
  path = "/manage/missions/" .. args[3] .. "/events/new"
  prefix = args[7]
  headers = {
    ["Cookie"] = args[1],
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = args[8],
    ["Accept-Encoding"] = "gzip, br",
  }
  fixed = "csrf_token=" .. args[2]
    .. "&kind=Combat&title=Bench+event&description=Recorded+under+load.&occurred_at=2026-12-01T12%3A00"
    .. "&location=Altis&notes="
    .. "&change_entry=" .. args[4] .. "&change_delta=-1&change_note=bench"
    .. "&change_entry=" .. args[5] .. "&change_delta=2&change_note=bench"
    .. "&change_entry=" .. args[6] .. "&change_delta=-1&change_note=bench"
end

function request()
  counter = counter + 1
  return wrk.format("POST", path, headers, fixed .. "&idempotency_key=" .. prefix .. string.format("%016x", counter))
end
