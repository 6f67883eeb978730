/** The media type of an Excel workbook (.xlsx), as HTTP names it. */
export const MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
