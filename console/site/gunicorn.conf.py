"""gunicorn settings of the staff console (`gunicorn console.site.wsgi -c console/site/gunicorn.conf.py`;
the process manager adds --bind and --access-logfile).

The access log names the path only: query strings carry what staff searched for (a patient's phone
number, a name), and a log file is kept and copied far more loosely than the database. The Referer
header is left out for the same reason: it is the previous page's full URL, query string and all.
"""
# %(U)s is the path without its query string; never %(r)s (the raw request line) or %(q)s.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

workers = 2
threads = 4  # more than one thread: gunicorn runs its threaded (gthread) worker
