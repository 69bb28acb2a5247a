import json, time
import pytest
from services.catalogue.services import catalogue_import, catalogue_export, catalogue_get_or_create
from services.models import ProcedurePage
from services.catalogue.records import record_from_page

def test_explore(db, tmp_path, settings):
    nat = catalogue_get_or_create(scope="national")
    for f in ["bqp-structured/bqp_tthc_207.jsonl", "dvcqg-ministries/dvcqg_tthc_sample.jsonl"]:
        t=time.time()
        rep = catalogue_import(source_file=settings.SHARED_DATA_DIR / f, catalogue=nat)
        print(f, time.time()-t, rep.source, rep.counts, rep.aborted_reason, rep.written)
        for r in rep.rows:
            if r.status != "new": print(r)
    print(ProcedurePage.objects.live().count())
    p = ProcedurePage.objects.get(code="1.013124")
    print(json.dumps(record_from_page(p), ensure_ascii=False, indent=1)[:6000])
