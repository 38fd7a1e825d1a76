"""PDF rendering shared by every document the service prints (diplomas, procès-verbaux): one process pool.

`pool.PdfPool` is the web or worker process's side; `process` is what runs inside the render processes.
Each document keeps its own templates, context and WeasyPrint code and hands the pool picklable functions.
"""
