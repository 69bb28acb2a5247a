"""Online-service roll-out planning (kế hoạch triển khai dịch vụ công trực tuyến).

National mandates (Decisions 846/QĐ-TTg of 2017 and 877/QĐ-TTg of 2018), agency proposals of
procedures to build as level 3/4 online services, the duplication and overlap checks, the
provincial plan the Chairman approves and its progress. Rules: DOMAIN.md §1, §3.

A sub-app of ``services`` with its own label (``rollout``) and migrations. Import direction: it
reads ``services`` (procedures, agencies, online forms); ``services`` never imports it.
"""
