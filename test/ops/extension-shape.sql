-- What the extension :ext is made of, one fact a line in a stable order, so
-- that an updated install can be compared with a fresh one by diff: its
-- member objects, the definition, privileges and comment of each, and the
-- columns, defaults, constraints, indexes and triggers of its tables.
-- Column order is left out: an update appends columns where a fresh
-- install may put them in the middle, and the functions name their columns.
WITH ext AS (
    SELECT e.oid, e.extname, e.extversion, e.extrelocatable, e.extnamespace,
           e.extconfig, e.extcondition
    FROM pg_extension e WHERE e.extname = :'ext'
), member AS (
    SELECT d.classid, d.objid FROM pg_depend d, ext
    WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), rel AS (
    SELECT c.* FROM pg_class c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
)
SELECT fact FROM (
    SELECT format('extension %s version %s schema %s relocatable %s',
                  extname, extversion, extnamespace::regnamespace, extrelocatable) AS fact
    FROM ext
    UNION ALL
    SELECT format('requires %s', r.extname)
    FROM ext JOIN pg_depend d ON d.classid = 'pg_extension'::regclass AND d.objid = ext.oid
    JOIN pg_extension r ON d.refclassid = 'pg_extension'::regclass AND r.oid = d.refobjid
    UNION ALL
    SELECT format('config dump %s where %L', c.cfg::regclass, c.cond)
    FROM ext, unnest(ext.extconfig, ext.extcondition) AS c(cfg, cond)
    UNION ALL
    SELECT 'member ' || pg_describe_object(classid, objid, 0) FROM member
    UNION ALL
    SELECT format('comment on %s: %s', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description)
    FROM pg_description d JOIN member m ON m.classid = d.classoid AND m.objid = d.objoid
    UNION ALL
    SELECT format('function %s(%s) returns %s language %s security definer %s volatility %s parallel %s strict %s leakproof %s config %s cost %s rows %s src %s bin %s acl %s',
                  p.oid::regproc, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
                  l.lanname, p.prosecdef, p.provolatile, p.proparallel, p.proisstrict,
                  p.proleakproof, p.proconfig, p.procost, p.prorows, p.prosrc, p.probin, p.proacl)
    FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
    JOIN pg_language l ON l.oid = p.prolang
    UNION ALL
    SELECT format('schema %s owner %s acl %s', n.nspname, n.nspowner::regrole, n.nspacl)
    FROM pg_namespace n JOIN member m ON m.classid = 'pg_namespace'::regclass AND m.objid = n.oid
    UNION ALL
    SELECT format('relation %s kind %s persistence %s options %s rls %s/%s acl %s',
                  oid::regclass, relkind, relpersistence, reloptions,
                  relrowsecurity, relforcerowsecurity, relacl)
    FROM rel
    UNION ALL
    SELECT format('column %s.%s %s not null %s default %s identity %L generated %L collation %s',
                  a.attrelid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
                  a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity,
                  a.attgenerated, a.attcollation::regcollation)
    FROM rel JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    UNION ALL
    SELECT format('constraint %s %s %s deferrable %s', c.conrelid::regclass, c.conname,
                  pg_get_constraintdef(c.oid), c.condeferrable)
    FROM pg_constraint c JOIN rel ON rel.oid = c.conrelid
    UNION ALL
    SELECT format('index %s valid %s', pg_get_indexdef(i.indexrelid), i.indisvalid)
    FROM pg_index i JOIN rel ON rel.oid = i.indrelid
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN rel ON rel.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL
    SELECT format('policy %s on %s %s', p.polname, p.polrelid::regclass, pg_get_expr(p.polqual, p.polrelid))
    FROM pg_policy p JOIN rel ON rel.oid = p.polrelid
    UNION ALL
    SELECT format('sequence %s as %s start %s increment %s min %s max %s cache %s cycle %s',
                  s.seqrelid::regclass, s.seqtypid::regtype, s.seqstart, s.seqincrement,
                  s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
    FROM pg_sequence s JOIN rel ON rel.oid = s.seqrelid
) facts
ORDER BY fact COLLATE "C";
