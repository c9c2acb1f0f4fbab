"""Korean labels the outputs print: check names, columns of findings, table headers.

Keys are the contract's English names (records, tables, checks); the labels are what an
auditor reads in the HTML report, the terminal and the spreadsheets.
"""
from __future__ import annotations

from .headers import TEXT_ROLES

# What each audit check verifies.
CHECK_KO = {
    "row_balance": "행 검산 (예산현액 − 감 + 증 = 전용 후)",
    "column_total": "열 합계 (총계 대조)",
    "transfer_balance": "감·증 균형",
    "summary_amount": "전용개요 금액 대조",
    "overdraw": "잔액 초과 감액",
    "date_period": "전용일자 기간",
    "stat_code_name": "통계목 코드·명칭 일치",
}
# The field a finding points at.
FIELD_KO = {
    "before": "예산현액", "decrease": "감", "increase": "증", "after": "전용 후 예산현액", "change": "증감",
    "amount_won": "전용금액", "date": "전용일자", "stat_code": "통계목",
}
# Korean headers for auditors' spreadsheets (xlsx); CSV keeps the stable English names.
KOREAN_HEADERS = {
    "report_id": "보고서ID", "source_path": "원본 파일", "source_format": "형식", "schema_version": "스키마 버전",
    "title": "제목", "fiscal_year": "회계연도", "quarter": "분기", "office": "부서", "meeting_date": "일시",
    "venue": "장소", "transfer_count": "전용 건수", "finding_count": "검증 결과 수", "error_count": "오류 수",
    "unparsed_count": "미분류 줄 수", "transfer_seq": "전용 순번", "label": "번호", "summary": "요지",
    "amount_won": "전용금액(원)", "transfer_date": "전용일자", "budget_unit": "표 단위",
    "total_before": "총계 예산현액", "total_decrease": "총계 감", "total_increase": "총계 증",
    "total_after": "총계 전용 후", "line_count": "행 수", "transfer_lines": "전용개요", "reasons": "전용사유",
    "overview_json": "사업개요(JSON)", "timeline_json": "추진경과(JSON)", "line": "행", "department": "부서명",
    "policy_program": "정책사업", "unit_program": "단위사업", "detail_program": "세부사업",
    "stat_code": "통계목 코드", "stat_name": "통계목", "before": "예산현액(원)", "decrease": "감(원)",
    "increase": "증(원)", "after": "전용 후 예산현액(원)", "loc_page": "쪽", "loc_line": "줄",
    "loc_bbox": "영역(pt)", "loc_cell": "셀(표,행,열)", "finding_no": "번호", "check": "검사",
    "severity": "심각도", "status": "상태", "unchecked": "미검증 사유", "cause_no": "원인 번호", "cause": "한 숫자로 설명됨", "field": "열", "expected": "기대값(원)", "actual": "인쇄값(원)", "message": "설명",
}


# The name columns of a budget line, in the table's order, with their headers.
TEXT_COLUMNS_KO = tuple((role, KOREAN_HEADERS[role]) for role in TEXT_ROLES)
