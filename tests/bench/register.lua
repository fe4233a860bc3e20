-- register.lua: wrk script that registers complaints through the form (a 303 is a success).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "csrf_token=" .. os.getenv("KESU_BENCH_CSRF") ..
  "&received_at=2026-11-20T09%3A30&channel=phone&customer_name=%E5%8E%8B%E6%B5%8B%E5%AE%A2%E6%88%B7" ..
  "&customer_type=consumer&customer_phone=13800138000&product=KS-200&description=bench" ..
  "&demand=repair&urgency=normal&category=product_quality&severity=3"
