-- tests/bench/bulk_search.sql: @lo..@hi (set by the caller) more complaints for the search bench,
-- written straight into complaint and complaint_text by SQL: the same fields and the same
-- distribution as kesu-admin bench-load (admin_seed.c), but without the audit trail, the repeat
-- checks and the SLA, which the search does not read. Loading 1 M complaints through the
-- audited registration path takes hours on this machine; this takes minutes. Numbers use
-- sequence numbers from 1,000,000 up, so they never meet the registration's.
INSERT INTO complaint (number, year, seq, status, received_at, channel, customer_name, customer_company,
	customer_type, customer_vip, customer_phone, customer_email, customer_address, product, part_no,
	order_no, lot, quantity, defective_quantity, delivery_date, subject_person, description, demand,
	urgency, category, severity, respond_due, resolve_due, owner_uid, owner_name, created_by,
	repeat_reason, created_at, updated_at)
SELECT CONCAT(DATE_FORMAT(t.at + INTERVAL 8 HOUR, '%y%m%d'), 1000000 + t.i), YEAR(t.at + INTERVAL 8 HOUR),
	1000000 + t.i, 'registered', t.at,
	ELT(t.i % 10 + 1, 'phone', 'email', 'web', 'onsite', 'social', 'im', 'letter', 'regulator',
	    'consumer_assoc', 'media'),
	ELT(t.i % 16 + 1, '张伟', '李娜', '王芳', '刘洋', '陈静', '杨磊', '赵敏', '黄晓明', '周杰', '吴磊',
	    '徐静蕾', '孙丽', '马超', '朱婷', '胡军', '郭晶晶'),
	ELT(t.i % 8 + 1, '', '华东机电有限公司', '深圳市鑫达电子', '北京恒通贸易', '成都蓉城家电商行', '',
	    '苏州工业园区精密制造', '广州南方物流'),
	ELT(t.i % 3 + 1, 'consumer', 'dealer', 'franchisee'), t.i % 9 = 0,
	CONCAT('13', t.i % 10, 10000000 + (t.i * 7919) % 89999999),
	IF(t.i % 3 = 0, CONCAT('customer', t.i, '@example.com'), ''),
	IF(t.i % 2 = 0, '上海市浦东新区张江路 88 号', ''),
	IF(t.i % 7 = 1, '', ELT(t.i % 6 + 1, 'KS-200 空气净化器', 'KS-310 加湿器', 'KM-45 电机总成', 'KP-8 控制面板',
	    'KB-12 包装套件', 'KS-500 商用净化机')),
	IF(t.i % 7 = 1, '', ELT(t.i % 6 + 1, 'KS200-A01', 'KS310-B07', 'KM45-C12', 'KP8-D03', 'KB12-E01', 'KS500-F22')),
	CONCAT('SO', 100000 + t.i), IF(t.i % 7 = 0, CONCAT('L2026', 1000 + t.i % 37), ''),
	NULL, NULL, NULL, IF(t.i % 7 = 1, '客服中心', ''),
	ELT(t.i % 7 + 1, '客户反映收到的产品开机后异响，使用两天后无法启动。',
	    '客服人员电话回复不及时，客户等待超过三天未获答复。', '合同约定的交货期延误两周，客户要求按合同赔偿。',
	    '外包装破损，产品外壳有明显划痕，疑为运输途中损坏。', '客户建议在说明书中增加滤网更换周期的说明。',
	    '客户对退换货政策理解有误，认为超过七天也可无理由退货。', '客户反映发票信息与订单不符，需要重开。'),
	ELT(t.i % 7 + 1, 'replacement', 'apology', 'compensation', 'return', 'explanation', 'explanation', 'explanation'),
	ELT(t.i % 3 + 1, 'urgent', 'high', 'normal'),
	ELT(t.i % 7 + 1, 'product_quality', 'service_quality', 'contract', 'damage', 'suggestion', 'grumble', 'other'),
	t.i % 4 + 1, t.at + INTERVAL 8 HOUR, t.at + INTERVAL 72 HOUR,
	IF(t.i % 2, 'agent2', 'agent'), IF(t.i % 2, '张伟', '王丽'), 'kesu-admin', '', UTC_TIMESTAMP(), UTC_TIMESTAMP()
FROM (SELECT seq AS i, UTC_TIMESTAMP() - INTERVAL 365 * 86400 * (@total - seq) DIV @total SECOND AS at
	FROM seq_0_to_999999 WHERE seq BETWEEN @lo AND @hi) t;

SET @first = LAST_INSERT_ID();   -- the first id of the rows just inserted

INSERT INTO complaint_text (complaint_id, received_at, body)
SELECT id, received_at, CONCAT_WS(' ', number, customer_name, customer_company, product, part_no, lot, order_no,
	subject_person, description, demand)
FROM complaint WHERE id >= @first;
